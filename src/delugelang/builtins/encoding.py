"""Encoding and crypto: URL and HTML escaping, base64/base32, hashes, HMAC, AES.

The `zoho.encryption.*` tasks (deluge-reference.md §7.10) are plain functions collected in
ENCRYPTION_TASKS, keyed by lower-case dotted name, for the task lookup to call as
`impl(rt, *args)`. `encodeUrl`, `urlEncode`, `urlDecode`, `base64Encode`... also exist as
ordinary TEXT builtins. Hashes use hashlib and hmac; AES uses `cryptography`.
"""

from __future__ import annotations

import base64
import binascii
import html
from urllib.parse import quote, quote_plus, unquote_plus

from ..errors import ScriptError
from ..values import to_text
from .encoding_crypto import ENCRYPTION_TASKS  # noqa: F401  (the zoho.encryption.* tasks)
from .registry import TEXT, method

# Charsets a script may name; anything else is an error (never an arbitrary Python codec).
_CHARSETS = {
    "utf-8": "utf-8", "utf8": "utf-8", "utf-16": "utf-16", "utf-16le": "utf-16-le",
    "utf-16be": "utf-16-be", "iso-8859-1": "latin-1", "latin1": "latin-1",
    "latin-1": "latin-1", "us-ascii": "ascii", "ascii": "ascii", "windows-1252": "cp1252",
    "cp1252": "cp1252",
}


def _charset(name, op: str) -> str:
    if name is None:
        return "utf-8"
    if type(name) is not str or name.strip().lower() not in _CHARSETS:
        raise ScriptError(f"{op}: unknown charset {to_text(name)!r}; use UTF-8, UTF-16LE, "
                          f"UTF-16BE or ISO-8859-1")
    return _CHARSETS[name.strip().lower()]


def _bytes(rt, value, op: str, charset: str = "utf-8") -> bytes:
    text = value if type(value) is str else to_text(value)
    try:
        return text.encode(charset)
    except UnicodeEncodeError:
        raise ScriptError(f"{op}: the text has characters that {charset} cannot encode") from None


def _decode(data: bytes, charset: str) -> str:
    # Java's new String(bytes, charset) replaces malformed input with U+FFFD.
    return data.decode(charset, errors="replace")


# ---------------------------------------------------------------- URL

def _java_url_encode(text: str) -> str:
    """java.net.URLEncoder.encode(text, "UTF-8"): letters, digits and `.-*_` stay, space
    becomes `+`, everything else is %XX of its UTF-8 bytes (upper-case hex)."""
    return quote_plus(text.encode("utf-8", "surrogatepass"), safe="*").replace("~", "%7E")


@method("encodeUrl", on=TEXT)
def encode_url(rt, text):
    """Form-encodes text with a space as `+` (Java's URLEncoder)
    [doc: https://zoho.com/creator/help/script/built-in-functions/built-in-function-url-encodeurl.html].

    >>> encodeUrl("http://www.zoho.com/zohotest?name=John&country=Australia&age=101")
    "http%3A%2F%2Fwww.zoho.com%2Fzohotest%3Fname%3DJohn%26country%3DAustralia%26age%3D101"
    >>> "a b".encodeUrl()
    "a+b"
    """
    out = _java_url_encode(text)
    rt.check_text(len(out))
    return out


def url_encode_text(rt, text: str, charset: str = "utf-8") -> str:
    """Percent-encoding with a space as `%20` (zoho.encryption.urlEncode)."""
    data = text.encode(charset, "surrogatepass") if charset == "utf-8" else _bytes(rt, text, "urlEncode", charset)
    out = quote(data, safe="*-._").replace("~", "%7E")
    rt.check_text(len(out))
    return out


@method("urlEncode", on=TEXT, args=(0, 1))
def url_encode(rt, text, charset=None):
    """Percent-encodes text with a space as `%20`, like `zoho.encryption.urlEncode`
    [doc: https://zoho.com/deluge/help/functions/encryption/urlencode.html].

    >>> "https://www.zoho.com/a b".urlEncode()
    "https%3A%2F%2Fwww.zoho.com%2Fa%20b"
    """
    return url_encode_text(rt, text, _charset(charset, "urlEncode"))


@method("urlDecode", "decodeUrl", on=TEXT, args=(0, 1))
def url_decode(rt, text, charset=None):
    """Decodes percent-encoding; `+` reads as a space (Java's URLDecoder)
    [doc: https://zoho.com/deluge/help/functions/encryption/urldecode.html].

    >>> "https%3A%2F%2Fwww.zoho.com".urlDecode()
    "https://www.zoho.com"
    >>> decodeUrl("a+b%20c")
    "a b c"
    """
    return unquote_plus(text, encoding=_charset(charset, "urlDecode"), errors="replace")


# ---------------------------------------------------------------- HTML

@method("encodeHTML", "htmlEncode", on=TEXT)
def encode_html(rt, text):
    """Escapes `&`, `<`, `>` and `"` as HTML entities [inf], so text can go into a page.

    >>> "<b>Tom & \\"Jerry\\"</b>".encodeHTML()
    "&lt;b&gt;Tom &amp; &quot;Jerry&quot;&lt;/b&gt;"
    """
    out = (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
           .replace('"', "&quot;"))
    rt.check_text(len(out))
    return out


@method("decodeHTML", "htmlDecode", on=TEXT)
def decode_html(rt, text):
    """Turns HTML entities (named, `&#39;`, `&#x27;`) back into characters [inf].

    >>> "&lt;b&gt;Tom &amp; Jerry&#39;s&lt;/b&gt;".decodeHTML()
    "<b>Tom & Jerry's</b>"
    """
    return html.unescape(text)


# ---------------------------------------------------------------- base64 / base32

def base64_encode_text(rt, value, charset=None) -> str | None:
    if value is None:
        return None
    data = _bytes(rt, value, "base64Encode", _charset(charset, "base64Encode"))
    rt.check_text((len(data) + 2) // 3 * 4)
    return base64.b64encode(data).decode("ascii")


def base64_decode_text(rt, value, charset=None) -> str | None:
    if value is None:
        return None
    text = "".join((value if type(value) is str else to_text(value)).split())
    text = text.replace("-", "+").replace("_", "/")  # the URL-safe alphabet too
    text += "=" * (-len(text) % 4)
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ScriptError("base64Decode: the text is not valid base64") from None
    return _decode(data, _charset(charset, "base64Decode"))


@method("base64Encode", on=TEXT, args=(0, 1))
def base64_encode(rt, text, charset=None):
    """Base64 of the text's bytes, UTF-8 unless a charset (UTF-16LE, UTF-16BE...) is given
    [doc/3p].

    >>> "john@zylker.com".base64Encode()
    "am9obkB6eWxrZXIuY29t"
    """
    return base64_encode_text(rt, text, charset)


@method("base64Decode", on=TEXT, args=(0, 1))
def base64_decode(rt, text, charset=None):
    """Decodes base64 into text (UTF-8 unless a charset is given); invalid base64 is a
    runtime error [doc: https://www.zoho.com/deluge/help/functions/encryption/base64decode.html].

    >>> "am9obkB6eWxrZXIuY29t".base64Decode()
    "john@zylker.com"
    """
    return base64_decode_text(rt, text, charset)


def base32_encode_text(rt, value, charset=None) -> str | None:
    if value is None:
        return None
    data = _bytes(rt, value, "base32Encode", _charset(charset, "base32Encode"))
    rt.check_text((len(data) + 4) // 5 * 8)
    return base64.b32encode(data).decode("ascii")


def base32_decode_text(rt, value, charset=None) -> str | None:
    if value is None:
        return None
    text = "".join((value if type(value) is str else to_text(value)).split()).upper()
    text += "=" * (-len(text) % 8)
    try:
        data = base64.b32decode(text)
    except (binascii.Error, ValueError):
        raise ScriptError("base32Decode: the text is not valid base32") from None
    return _decode(data, _charset(charset, "base32Decode"))


@method("base32Encode", on=TEXT, args=(0, 1))
def base32_encode(rt, text, charset=None):
    """RFC 4648 base32 of the text's UTF-8 bytes, with padding [3p/inf].

    >>> "Zoho".base32Encode()
    "LJXWQ3Y="
    """
    return base32_encode_text(rt, text, charset)


@method("base32Decode", on=TEXT, args=(0, 1))
def base32_decode(rt, text, charset=None):
    """Decodes RFC 4648 base32 into text; invalid input is a runtime error [3p/inf].

    >>> "LJXWQ3Y=".base32Decode()
    "Zoho"
    """
    return base32_decode_text(rt, text, charset)
