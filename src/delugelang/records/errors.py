"""The error a record operation raises: a Zoho error code, a message, and its details."""

from __future__ import annotations

from delugelang.errors import DelugeError


class RecordError(DelugeError):
    """A record operation was refused, with Zoho's error code (INVALID_MODULE, INVALID_DATA,
    MANDATORY_NOT_FOUND, INVALID_QUERY...). `zoho.crm.*` tasks turn it into the error map
    Deluge returns instead of failing: {"code", "details", "message", "status": "error"}.

    `message` is Zoho's own short message; `explanation` says in full what was wrong.
    """

    kind = "runtime"

    def __init__(self, code: str, message: str, details: dict | None = None,
                 explanation: str | None = None):
        super().__init__(explanation or message)
        self.code = code
        self.zoho_message = message
        self.details = dict(details or {})

    def to_map(self) -> dict:
        return {"code": self.code, "details": dict(self.details), "message": self.zoho_message,
                "status": "error"}
