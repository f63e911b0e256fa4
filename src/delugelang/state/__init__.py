"""The workspace's embedded state: SQLite with versioned schemas and AES-GCM-sealed secrets."""

from delugelang.state.crypto import KEY_ENV, SecretBox, decode_key, encode_key
from delugelang.state.errors import StateError
from delugelang.state.store import StateStore

__all__ = ["KEY_ENV", "SecretBox", "StateError", "StateStore", "decode_key", "encode_key"]
