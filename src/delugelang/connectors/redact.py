"""Masking of secret values in text that users or scripts can see."""

from __future__ import annotations

import re
from typing import Iterable

MASK = "********"
_MIN_SECRET = 4  # shorter values would mask ordinary text
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def redact(text: str, secrets: Iterable[str | None]) -> str:
    """`text` with every occurrence of each secret replaced by a mask, longest first."""
    for secret in sorted({s for s in secrets if s and len(s) >= _MIN_SECRET}, key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text


def quote_for_message(text: object, limit: int = 120) -> str:
    """Untrusted text, shortened and stripped of control characters, for an error message."""
    value = _CONTROL.sub("?", str(text))
    return value if len(value) <= limit else value[: limit - 3] + "..."
