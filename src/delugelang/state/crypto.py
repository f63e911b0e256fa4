"""AES-GCM sealing of secrets at rest; the key comes from DG_SECRET_KEY or a 0600 key file.

`cryptography` (about 25 ms to import) and hashlib are imported when a secret is first
sealed or opened, not when the workspace state is opened.
"""

from __future__ import annotations

import base64
import binascii
import os
import stat
from pathlib import Path

from delugelang.state.errors import StateError

KEY_ENV = "DG_SECRET_KEY"
KEY_BYTES = 32
NONCE_BYTES = 12
_FORMAT = b"\x01"
_KEY_ID_BYTES = 4


def decode_key(text: str) -> bytes:
    """Read a 32-byte key written as 64 hex digits or as (URL-safe) base64."""
    text = text.strip()
    candidates = []
    if len(text) == 2 * KEY_BYTES:
        try:
            candidates.append(bytes.fromhex(text))
        except ValueError:
            pass
    for decoder in (base64.urlsafe_b64decode, base64.b64decode):
        try:
            candidates.append(decoder(text + "=" * (-len(text) % 4)))
        except (binascii.Error, ValueError):
            pass
    for key in candidates:
        if len(key) == KEY_BYTES:
            return key
    raise StateError(f"the secret key must be {KEY_BYTES} bytes, written as 64 hex digits or base64")


def encode_key(key: bytes) -> str:
    return base64.urlsafe_b64encode(key).decode("ascii")


def load_or_create_key(key_file: Path, environ=os.environ) -> bytes:
    """The key from DG_SECRET_KEY if set, else from `key_file`, created (mode 0600) if absent."""
    text = environ.get(KEY_ENV)
    if text:
        return decode_key(text)
    try:
        return _read_key_file(key_file)
    except FileNotFoundError:
        pass
    key = os.urandom(KEY_BYTES)  # what AESGCM.generate_key does
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it first: use theirs
        return _read_key_file(key_file)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(encode_key(key) + "\n")
    return key


def _read_key_file(key_file: Path) -> bytes:
    mode = key_file.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise StateError(f"the key file {key_file} must be readable by its owner only (chmod 600)")
    return decode_key(key_file.read_text(encoding="ascii"))


class SecretBox:
    """Seals and opens values with AES-256-GCM, binding each to a context (its row)."""

    def __init__(self, key: bytes):
        if len(key) != KEY_BYTES:
            raise StateError(f"the secret key must be {KEY_BYTES} bytes")
        self._key = key
        self._aead = None
        from hashlib import sha256
        self._key_id = sha256(key).digest()[:_KEY_ID_BYTES]

    def __repr__(self) -> str:
        return "SecretBox(<key hidden>)"

    def _cipher(self):
        if self._aead is None:
            from cryptography.hazmat.primitives.ciphers.aead import AESGCM
            self._aead = AESGCM(self._key)
        return self._aead

    def seal(self, plaintext: bytes, context: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._cipher().encrypt(nonce, plaintext, context.encode("utf-8"))
        return _FORMAT + self._key_id + nonce + sealed

    def open(self, blob: bytes, context: str) -> bytes:
        header = len(_FORMAT) + _KEY_ID_BYTES
        if blob[:1] != _FORMAT or len(blob) < header + NONCE_BYTES:
            raise StateError("a stored secret is damaged or in an unknown format")
        if blob[1:header] != self._key_id:
            raise StateError("the stored secrets were sealed with a different key "
                             f"(check {KEY_ENV} or the workspace key file)")
        nonce = blob[header:header + NONCE_BYTES]
        from cryptography.exceptions import InvalidTag
        try:
            return self._cipher().decrypt(nonce, blob[header + NONCE_BYTES:],
                                          context.encode("utf-8"))
        except InvalidTag:
            raise StateError("a stored secret failed its integrity check") from None
