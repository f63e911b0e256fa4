"""The `zoho.encryption.*` tasks: hashes, HMAC, AES, and the base64/base32/URL task forms.

deluge-reference.md §7.10: hashes come back as lower-case hex; the HMAC tasks take the
KEY FIRST and default to base64 output; the SHA/MD5/HMAC task names are all lower case
while the base64/URL/AES ones are camelCase (names are matched case-insensitively anyway).
ENCRYPTION_TASKS maps each lower-case dotted name to (impl, min_args, max_args); every impl
is called as impl(rt, *args).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac

from ..errors import ScriptError
from ..values import to_text, type_name

# Binary output is capped at 1 MB of input [doc: sha256 page].
_BINARY_INPUT_LIMIT = 1024 * 1024


def _message(value, op: str) -> bytes:
    if value is None:
        raise ScriptError(f"{op}: the text to hash cannot be null")
    text = value if type(value) is str else to_text(value)
    return text.encode("utf-8", "surrogatepass")


def _output(rt, digest: bytes, kind, default: str, op: str, size: int) -> str:
    """Render a digest as "hex", "base64" or "binary" (one character per byte)."""
    kind = default if kind is None else kind
    if type(kind) is not str or kind.lower() not in ("hex", "base64", "binary"):
        raise ScriptError(f"{op}: the output type must be \"hex\", \"base64\" or \"binary\", "
                          f"not \"{to_text(kind)}\"")
    kind = kind.lower()
    if kind == "hex":
        return digest.hex()
    if kind == "base64":
        return base64.b64encode(digest).decode("ascii")
    if size > _BINARY_INPUT_LIMIT:
        raise ScriptError(f"{op}: binary output is limited to 1 MB of input")
    return digest.decode("latin-1")


def _hash(algorithm: str, op: str, hello_hex: str, evidence: str):
    def task(rt, text, output_type=None):
        data = _message(text, op)
        return _output(rt, hashlib.new(algorithm, data).digest(), output_type, "hex", op,
                       len(data))

    task.__name__ = op.rsplit(".", 1)[-1]
    task.__doc__ = (f"The {algorithm.upper()} digest of the text's UTF-8 bytes, lower-case hex "
                    f"by default; \"base64\" and \"binary\" output too {evidence}.\n\n"
                    f">>> {op}(\"hello\")\n\"{hello_hex}\"\n")
    return task


def _hmac(algorithm: str, op: str, secret_hello: str):
    def task(rt, key, text, output_type=None):
        if key is None:
            raise ScriptError(f"{op}: the key cannot be null")
        key_bytes = _message(key, op)
        data = _message(text, op)
        digest = hmac.new(key_bytes, data, algorithm).digest()
        return _output(rt, digest, output_type, "base64", op, len(data))

    task.__name__ = op.rsplit(".", 1)[-1]
    task.__doc__ = (f"HMAC-{algorithm.upper()} of the text's UTF-8 bytes. The key comes first; "
                    "output is base64 by default, or \"hex\" / \"binary\" (reference §7.10 "
                    "[3p]; the HMAC pages were not retrievable, the values are the standard "
                    "algorithm's).\n\n"
                    f">>> {op}(\"secret\", \"hello\")\n\"{secret_hello}\"\n")
    return task


_DOC = "[doc: https://www.zoho.com/deluge/help/encryption/{}.html]"
md5 = _hash("md5", "zoho.encryption.md5", "5d41402abc4b2a76b9719d911017c592", "[3p]")
sha1 = _hash("sha1", "zoho.encryption.sha1", "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d",
             _DOC.format("sha1"))
sha256 = _hash("sha256", "zoho.encryption.sha256",
               "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
               _DOC.format("sha256") + "; binary output is limited to 1 MB of input")
sha384 = _hash("sha384", "zoho.encryption.sha384",
               "59e1748777448c69de6b800d7a33bbfb9ff1b463e44354c3553bcdb9c666fa90125a3c79f90397bd"
               "f5f6a13de828684f", "[inf: the sibling of sha256 and sha512]")
sha512 = _hash("sha512", "zoho.encryption.sha512",
               "9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca72323c3d99ba5c11d"
               "7c7acc6e14b8c5da0c4663475c2e5c3adef46f73bcdec043", "[3p]")
hmacmd5 = _hmac("md5", "zoho.encryption.hmacmd5", "ut5jhjxh7QsxZYBuzWrO/A==")
hmacsha1 = _hmac("sha1", "zoho.encryption.hmacsha1", "URIFXAX5RPhXVe/FzYlw4ZTp9Fs=")
hmacsha256 = _hmac("sha256", "zoho.encryption.hmacsha256",
                   "iKqz7ejTrflNJquQ07r9SiCDBww7zOnAFO4EpEOEfAs=")
hmacsha384 = _hmac("sha384", "zoho.encryption.hmacsha384",
                   "fh5iDKAGj9H84Awa0/XG27EodN0vucJlAtCdDYBPLAuh2SG5RYQWy6SAQXVxAB4Y")
hmacsha512 = _hmac("sha512", "zoho.encryption.hmacsha512",
                   "2xWVroimL9FR7By6gbmMOd+C2q57TLmCD0RtW/AvHc/KZoPYjKs+Jz9ZY6uOxGmnRrWxkIY3Ejn2"
                   "fR5fmaeUQA==")

# ---------------------------------------------------------------- text encodings as tasks

def url_encode(rt, value, charset=None):
    """Percent-encoding with space as %20; non-TEXT input returns null [doc:
    https://zoho.com/deluge/help/functions/encryption/urlencode.html].

    >>> zoho.encryption.urlEncode("a b&c")
    "a%20b%26c"
    """
    from . import encoding
    if type(value) is not str:
        return None
    return encoding.url_encode_text(rt, value, encoding._charset(charset, "urlEncode"))


def url_decode(rt, value, charset=None):
    """Decodes percent-encoding; non-TEXT returns null [doc: urldecode.html].

    >>> zoho.encryption.urlDecode("https%3A%2F%2Fwww.zoho.com")
    "https://www.zoho.com"
    """
    from . import encoding
    if type(value) is not str:
        return None
    return encoding.url_decode(rt, value, charset)


def base64_encode(rt, value, charset=None):
    """Base64 of the text's bytes: UTF-8 unless a charset (UTF-16LE, UTF-16BE...) is given
    [doc/3p]; null gives null.

    >>> zoho.encryption.base64Encode("john@zylker.com")
    "am9obkB6eWxrZXIuY29t"
    """
    from . import encoding
    return encoding.base64_encode_text(rt, value, charset)


def base64_decode(rt, value, charset=None):
    """Base64 back to text, read as UTF-8 unless a charset is given [doc:
    https://www.zoho.com/deluge/help/functions/encryption/base64decode.html].

    >>> zoho.encryption.base64Decode("am9obkB6eWxrZXIuY29t")
    "john@zylker.com"
    """
    from . import encoding
    return encoding.base64_decode_text(rt, value, charset)


def base32_encode(rt, value, charset=None):
    """RFC 4648 base32 of the text's UTF-8 bytes [3p].

    >>> zoho.encryption.base32Encode("Zoho")
    "LJXWQ3Y="
    """
    from . import encoding
    return encoding.base32_encode_text(rt, value, charset)


def base32_decode(rt, value, charset=None):
    """RFC 4648 base32 back to text (padding optional, case-insensitive) [3p].

    >>> zoho.encryption.base32Decode("LJXWQ3Y=")
    "Zoho"
    """
    from . import encoding
    return encoding.base32_decode_text(rt, value, charset)


# ---------------------------------------------------------------- AES

def _aes_key(key, op: str, bits: int | None) -> bytes:
    """The AES key: the key text's UTF-8 bytes when they are 16, 24 or 32 long (exactly
    16 for the 128-bit tasks); any other key is stretched with SHA-256 [inf]."""
    if key is None or (type(key) is str and key == ""):
        raise ScriptError(f"{op}: the key cannot be empty")
    raw = _message(key, op)
    if bits == 128:
        return raw if len(raw) == 16 else hashlib.sha256(raw).digest()[:16]
    return raw if len(raw) in (16, 24, 32) else hashlib.sha256(raw).digest()


def _aes_iv(iv, op: str) -> bytes | None:
    if iv is None:
        return None
    raw = _message(iv, op)
    if len(raw) != 16:
        raise ScriptError(f"{op}: the initialisation vector must be 16 bytes, not {len(raw)}")
    return raw


def _aes_encode(op: str, bits: int | None):
    def task(rt, key, value, iv=None):
        from cryptography.hazmat.primitives import padding
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

        data = _message(value, op)
        rt.check_text(len(data) * 2 + 64)
        given = _aes_iv(iv, op)
        vector = given or rt.random.getrandbits(128).to_bytes(16, "big")
        padder = padding.PKCS7(128).padder()
        plain = padder.update(data) + padder.finalize()
        enc = Cipher(algorithms.AES(_aes_key(key, op, bits)), modes.CBC(vector)).encryptor()
        sealed = enc.update(plain) + enc.finalize()
        return base64.b64encode(sealed if given else vector + sealed).decode("ascii")

    task.__name__ = op.rsplit(".", 1)[-1]
    task.__doc__ = ("AES-CBC with PKCS#7 padding, base64 output; the IV, when given, must "
                    "be 16 characters [doc: https://zoho.com/deluge/help/functions/encryption/"
                    "aesencode.html]. Without an IV a random one from the host's random "
                    "service is put in front of the ciphertext, so aesDecode can read it back "
                    "(the sizes match the page's examples). Zoho does not document how the key "
                    "text becomes an AES key, so ciphertexts are not interchangeable with "
                    "Zoho's (docs/deviations.md). "
                    + ("The key is 16 bytes (other keys are stretched with SHA-256)."
                       if bits == 128 else
                       "A key of 16, 24 or 32 bytes is used as it is; others are stretched "
                       "with SHA-256.")
                    + f"\n\n>>> {op.replace('Encode', 'Decode')}(\"k\", {op}(\"k\", \"hi\"))"
                    "\n\"hi\"\n")
    return task


def _aes_decode(op: str, bits: int | None):
    def task(rt, key, value, iv=None):
        from cryptography.hazmat.primitives import padding
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

        if type(value) is not str:
            raise ScriptError(f"{op}: the encrypted value must be base64 TEXT, not {type_name(value)}")
        try:
            sealed = base64.b64decode("".join(value.split()), validate=True)
        except (binascii.Error, ValueError):
            raise ScriptError(f"{op}: the encrypted value is not valid base64") from None
        given = _aes_iv(iv, op)
        if given is None:
            given, sealed = sealed[:16], sealed[16:]
        if len(given) != 16 or not sealed or len(sealed) % 16:
            raise ScriptError(f"{op}: the encrypted value is damaged or was not made by aesEncode")
        dec = Cipher(algorithms.AES(_aes_key(key, op, bits)), modes.CBC(given)).decryptor()
        unpadder = padding.PKCS7(128).unpadder()
        try:
            plain = unpadder.update(dec.update(sealed) + dec.finalize()) + unpadder.finalize()
        except ValueError:
            raise ScriptError(f"{op}: wrong key, or the encrypted value is damaged") from None
        return plain.decode("utf-8", errors="replace")

    task.__name__ = op.rsplit(".", 1)[-1]
    encode = op.replace("Decode", "Encode")
    task.__doc__ = ("The inverse of the matching aesEncode task: the same key (and IV, if one "
                    "was given) reads the text back; a wrong key or damaged input is a runtime "
                    f"error.\n\n>>> {op}(\"k\", {encode}(\"k\", \"hi\"))\n\"hi\"\n")
    return task


aes_encode = _aes_encode("zoho.encryption.aesEncode", None)
aes_decode = _aes_decode("zoho.encryption.aesDecode", None)
aes_encode128 = _aes_encode("zoho.encryption.aesEncode128", 128)
aes_decode128 = _aes_decode("zoho.encryption.aesDecode128", 128)


ENCRYPTION_TASKS = {
    "zoho.encryption.md5": (md5, 1, 2),
    "zoho.encryption.sha1": (sha1, 1, 2),
    "zoho.encryption.sha256": (sha256, 1, 2),
    "zoho.encryption.sha384": (sha384, 1, 2),
    "zoho.encryption.sha512": (sha512, 1, 2),
    "zoho.encryption.hmacmd5": (hmacmd5, 2, 3),
    "zoho.encryption.hmacsha1": (hmacsha1, 2, 3),
    "zoho.encryption.hmacsha256": (hmacsha256, 2, 3),
    "zoho.encryption.hmacsha384": (hmacsha384, 2, 3),
    "zoho.encryption.hmacsha512": (hmacsha512, 2, 3),
    "zoho.encryption.urlencode": (url_encode, 1, 2),
    "zoho.encryption.urldecode": (url_decode, 1, 2),
    "zoho.encryption.base64encode": (base64_encode, 1, 2),
    "zoho.encryption.base64decode": (base64_decode, 1, 2),
    "zoho.encryption.base32encode": (base32_encode, 1, 2),
    "zoho.encryption.base32decode": (base32_decode, 1, 2),
    "zoho.encryption.aesencode": (aes_encode, 2, 3),
    "zoho.encryption.aesdecode": (aes_decode, 2, 3),
    "zoho.encryption.aesencode128": (aes_encode128, 2, 3),
    "zoho.encryption.aesdecode128": (aes_decode128, 2, 3),
}

# The documented spellings, used in messages (reference §7.10 casing note: the hash and HMAC
# tasks are all lower case, the base64/base32/URL/AES ones camelCase).
DOCUMENTED_NAMES = {name.lower(): name for name in (
    "zoho.encryption.md5", "zoho.encryption.sha1", "zoho.encryption.sha256",
    "zoho.encryption.sha384", "zoho.encryption.sha512", "zoho.encryption.hmacmd5",
    "zoho.encryption.hmacsha1", "zoho.encryption.hmacsha256", "zoho.encryption.hmacsha384",
    "zoho.encryption.hmacsha512", "zoho.encryption.urlEncode", "zoho.encryption.urlDecode",
    "zoho.encryption.base64Encode", "zoho.encryption.base64Decode",
    "zoho.encryption.base32Encode", "zoho.encryption.base32Decode",
    "zoho.encryption.aesEncode", "zoho.encryption.aesDecode",
    "zoho.encryption.aesEncode128", "zoho.encryption.aesDecode128")}
assert DOCUMENTED_NAMES.keys() == ENCRYPTION_TASKS.keys()
