"""The error raised when the workspace state cannot be read, written or decrypted."""

from __future__ import annotations

from delugelang.errors import DelugeError


class StateError(DelugeError):
    """The workspace state is unusable (wrong key, damaged file, lock timeout...)."""

    kind = "runtime"
