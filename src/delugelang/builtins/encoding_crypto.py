"""The `zoho.encryption.*` tasks: hashes, HMAC, AES, and the base64/base32/URL task forms.

deluge-reference.md §7.10: hashes come back as lower-case hex; the HMAC tasks take the
KEY FIRST and default to base64 output; the SHA/MD5/HMAC task names are all lower case
while the base64/URL/AES ones are camelCase (names are matched case-insensitively anyway).
ENCRYPTION_TASKS maps each lower-case dotted name to (impl, min_args, max_args); every impl
is called as impl(rt, *args).
"""

from __future__ import annotations

import re

from ..errors import ScriptError
from ..values import to_text, type_name

# hashlib, hmac and base64 are imported in the tasks that use them: loading OpenSSL's
# _hashlib costs about 3-10 ms, base64 (with struct) 1-1.5 ms, and `tasks.py` (so every
# compile) imports this module for its table.

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
        import base64

        return base64.b64encode(digest).decode("ascii")
    if size > _BINARY_INPUT_LIMIT:
        raise ScriptError(f"{op}: binary output is limited to 1 MB of input")
    return digest.decode("latin-1")


def _hash(algorithm: str, op: str, hello_hex: str, evidence: str):
    def task(rt, text, output_type=None):
        import hashlib

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
        import hmac

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

# aesencode128.html / aesdecode128.html: with a null IV, an <encryption_value> over 500KB
# or an <iteration_count> over 200 is an execution error.
_NO_IV_VALUE_LIMIT = 500 * 1024
_NO_IV_ITERATION_LIMIT = 200
# The pages set no iteration limit when an IV is given. Key derivation is one uninterrupted
# computation the time budget cannot sample, so the sandbox caps it (docs/deviations.md).
_ITERATION_LIMIT = 100_000


def _aes_key(key, op: str, bits: int | None) -> bytes:
    """The AES key: the key text's UTF-8 bytes when they are 16, 24 or 32 long (exactly
    16 for the 128-bit tasks); any other key is stretched with SHA-256 [inf]."""
    if key is None or (type(key) is str and key == ""):
        raise ScriptError(f"{op}: the key cannot be empty")
    import hashlib

    raw = _message(key, op)
    if bits == 128:
        return raw if len(raw) == 16 else hashlib.sha256(raw).digest()[:16]
    return raw if len(raw) in (16, 24, 32) else hashlib.sha256(raw).digest()


def _derived_key(key, op: str, bits: int | None, iterations: int, salt: bytes) -> bytes:
    """With an iteration count of 0 (the documented default) the key is _aes_key's. A count
    n > 0 is "the number of times the function is repeatedly performed to produce the final
    encryption key" [doc: aesencode128.html]; the page does not name the function, so this
    is PBKDF2-HMAC-SHA256 over the key text with n iterations, salted with the IV
    (docs/deviations.md)."""
    if iterations == 0:
        return _aes_key(key, op, bits)
    import hashlib

    _aes_key(key, op, bits)  # the same empty-key check
    return hashlib.pbkdf2_hmac("sha256", _message(key, op), salt, iterations, 16)


def _iterations(count, op: str, iv_given: bool) -> int:
    """The optional iteration count: documented as TEXT, a NUMBER is taken too; null is 0."""
    if count is None:
        return 0
    if type(count) is int:
        value = count
    elif type(count) is str and re.fullmatch(r"\s*[+-]?\d{1,12}\s*", count):
        value = int(count)
    else:
        raise ScriptError(f"{op}: the iteration count must be a whole number, not "
                          f"{type_name(count)} \"{to_text(count)}\"")
    if value < 0:
        raise ScriptError(f"{op}: the iteration count cannot be negative, not {value}")
    if not iv_given and value > _NO_IV_ITERATION_LIMIT:
        raise ScriptError(f"{op}: without an initialisation vector the iteration count "
                          f"cannot exceed {_NO_IV_ITERATION_LIMIT}, not {value}")
    if value > _ITERATION_LIMIT:
        raise ScriptError(f"{op}: the iteration count cannot exceed {_ITERATION_LIMIT:,} "
                          f"in this engine, not {value}")
    return value


def _aes_iv(iv, op: str) -> bytes | None:
    if iv is None:
        return None
    raw = _message(iv, op)
    if len(raw) != 16:
        raise ScriptError(f"{op}: the initialisation vector must be 16 bytes, not {len(raw)}")
    return raw


_ENCODE_DOC = (
    "AES-CBC with PKCS#7 padding, base64 output; the IV, when given, must be 16 characters "
    "[doc: https://zoho.com/deluge/help/functions/encryption/{page}.html]. Without an IV a "
    "random one from the host's random service is put in front of the ciphertext, so "
    "{decode} can read it back (the sizes match the page's examples). Zoho does not document "
    "how the key text becomes an AES key, so ciphertexts are not interchangeable with Zoho's "
    "(docs/deviations.md). {key}\n\n"
    ">>> {decode_op}(\"k\", {op}(\"k\", \"hi\"))\n\"hi\"\n")
_KEY_256 = "A key of 16, 24 or 32 bytes is used as it is; others are stretched with SHA-256."
_KEY_128 = (
    "The key is 16 bytes (other keys are stretched with SHA-256). The optional 4th argument, "
    "iteration_count (default 0), derives the key with PBKDF2-HMAC-SHA256 salted with the IV; "
    "without an IV it may be at most 200, and the text at most 500KB, as documented.")
_ITERATION_EXAMPLE = (
    "\n>>> zoho.encryption.aesEncode128(\"passkey\", \"Confidential details\", "
    "\"0000000000000000\", 10)\n\"68eOwFCuT8qkldCKd5xGTdXEg4cK5F7l2cgi2eBMmo4=\"\n"
    ">>> zoho.encryption.aesDecode128(\"passkey\", zoho.encryption.aesEncode128(\"passkey\", "
    "\"hi\", null, \"200\"), null, \"200\")\n\"hi\"\n")


def _aes_encode(op: str, bits: int | None):
    def task(rt, key, value, iv=None, iteration_count=None):
        import base64

        from cryptography.hazmat.primitives import padding
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

        data = _message(value, op)
        rt.check_text(len(data) * 2 + 64)
        given = _aes_iv(iv, op)
        iterations = _iterations(iteration_count, op, given is not None)
        if bits == 128 and given is None and len(data) > _NO_IV_VALUE_LIMIT:
            raise ScriptError(f"{op}: without an initialisation vector the text to encrypt "
                              f"cannot exceed 500KB")
        vector = given or rt.random.getrandbits(128).to_bytes(16, "big")
        padder = padding.PKCS7(128).padder()
        plain = padder.update(data) + padder.finalize()
        aes_key = _derived_key(key, op, bits, iterations, vector)
        enc = Cipher(algorithms.AES(aes_key), modes.CBC(vector)).encryptor()
        sealed = enc.update(plain) + enc.finalize()
        return base64.b64encode(sealed if given else vector + sealed).decode("ascii")

    task.__name__ = op.rsplit(".", 1)[-1]
    decode_op = op.replace("Encode", "Decode")
    task.__doc__ = _ENCODE_DOC.format(
        page=task.__name__.lower(), decode=decode_op.rsplit(".", 1)[-1], decode_op=decode_op,
        op=op, key=_KEY_128 if bits == 128 else _KEY_256)
    if bits == 128:
        task.__doc__ += _ITERATION_EXAMPLE
    return task


def _aes_decode(op: str, bits: int | None):
    def task(rt, key, value, iv=None, iteration_count=None):
        import base64
        import binascii

        from cryptography.hazmat.primitives import padding
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

        if type(value) is not str:
            raise ScriptError(f"{op}: the encrypted value must be base64 TEXT, not {type_name(value)}")
        try:
            sealed = base64.b64decode("".join(value.split()), validate=True)
        except (binascii.Error, ValueError):
            raise ScriptError(f"{op}: the encrypted value is not valid base64") from None
        given = _aes_iv(iv, op)
        iterations = _iterations(iteration_count, op, given is not None)
        if given is None:
            given, sealed = sealed[:16], sealed[16:]
        if len(given) != 16 or not sealed or len(sealed) % 16:
            raise ScriptError(f"{op}: the encrypted value is damaged or was not made by aesEncode")
        aes_key = _derived_key(key, op, bits, iterations, given)
        dec = Cipher(algorithms.AES(aes_key), modes.CBC(given)).decryptor()
        unpadder = padding.PKCS7(128).unpadder()
        try:
            plain = unpadder.update(dec.update(sealed) + dec.finalize()) + unpadder.finalize()
        except ValueError:
            raise ScriptError(f"{op}: wrong key, or the encrypted value is damaged") from None
        return plain.decode("utf-8", errors="replace")

    task.__name__ = op.rsplit(".", 1)[-1]
    encode = op.replace("Decode", "Encode")
    extra = (" The optional 4th argument, iteration_count, must be the one used to encrypt "
             "[doc: aesdecode128.html]." if bits == 128 else "")
    task.__doc__ = ("The inverse of the matching aesEncode task: the same key (and IV, if one "
                    "was given) reads the text back; a wrong key or damaged input is a runtime "
                    f"error.{extra}\n\n>>> {op}(\"k\", {encode}(\"k\", \"hi\"))\n\"hi\"\n")
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
    "zoho.encryption.aesencode128": (aes_encode128, 2, 4),
    "zoho.encryption.aesdecode128": (aes_decode128, 2, 4),
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
