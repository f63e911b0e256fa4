"""Encoding builtins and the zoho.encryption.* tasks (deluge-reference.md §7.10)."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

import delugelang
from delugelang.builtins import load_all
from delugelang.builtins.encoding import ENCRYPTION_TASKS
from delugelang.errors import DelugeError, ScriptError
from delugelang.limits import Limits
from delugelang.runtime import Run
from delugelang.services import Services


def value(expr: str):
    return delugelang.compile(f"return {expr};").run(
        services=Services(random_seed=3)).plain_value()


def expr_error(expr: str) -> DelugeError:
    with pytest.raises(DelugeError) as info:
        value(expr)
    return info.value


# ---------------------------------------------------------------- builtin forms

@pytest.mark.parametrize("expr, expected", [
    ('encodeUrl("http://www.zoho.com/zohotest?name=John&country=Australia&age=101")',
     "http%3A%2F%2Fwww.zoho.com%2Fzohotest%3Fname%3DJohn%26country%3DAustralia%26age%3D101"),
    ('"a b~*é".encodeUrl()', "a+b%7E*%C3%A9"),
    ('"a b+c".urlEncode()', "a%20b%2Bc"),
    ('"https%3A%2F%2Fwww.zoho.com".urlDecode()', "https://www.zoho.com"),
    ('decodeUrl("a+b%20c%C3%A9")', "a b cé"),
    ('"100%".urlDecode()', "100%"),
    ('"<b>Tom & \\"Jerry\\"</b>".encodeHTML()', "&lt;b&gt;Tom &amp; &quot;Jerry&quot;&lt;/b&gt;"),
    ('"&lt;i&gt;&amp;&#39;&#x41;&copy;".decodeHTML()', "<i>&'A©"),
    ('"john@zylker.com".base64Encode()', "am9obkB6eWxrZXIuY29t"),
    ('"am9obkB6eWxrZXIuY29t".base64Decode()', "john@zylker.com"),
    ('"am9obkB6eWxrZXIuY29t".base64Decode()', "john@zylker.com"),
    ('"am9o bkB6eWxr\\nZXIuY29t".base64Decode()', "john@zylker.com"),
    ('"aGk".base64Decode()', "hi"),
    ('"hé".base64Encode("UTF-16LE")', "aADpAA=="),
    ('"aADpAA==".base64Decode("utf-16le")', "hé"),
    ('"Zoho".base32Encode()', "LJXWQ3Y="),
    ('"ljxwq3y".base32Decode()', "Zoho"),
])
def test_encoding_builtins(expr, expected):
    assert value(expr) == expected


@pytest.mark.parametrize("expr, words", [
    ('"%%%".base64Decode()', "not valid base64"),
    ('"a".base64Encode("rot13")', "unknown charset"),
    ('"a".base64Encode("base64")', "unknown charset"),
    ('"é".base64Encode("US-ASCII")', "cannot encode"),
    ('"1".base32Decode()', "not valid base32"),
])
def test_encoding_errors(expr, words):
    err = expr_error(expr)
    assert isinstance(err, ScriptError)
    assert words in err.message


# ---------------------------------------------------------------- task implementations

def _rt() -> Run:
    load_all()
    return Run(Limits(), Services(random_seed=5))


def task(name: str, *args):
    impl, lo, hi = ENCRYPTION_TASKS[name.lower()]
    assert lo <= len(args) <= hi
    return impl(_rt(), *args)


def test_every_task_key_is_lower_case_and_dotted():
    for name, (impl, lo, hi) in ENCRYPTION_TASKS.items():
        assert name == name.lower() and name.startswith("zoho.encryption.")
        assert callable(impl) and impl.__doc__ and 0 < lo <= hi


@pytest.mark.parametrize("name, expected", [
    ("zoho.encryption.sha1", "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d"),
    ("zoho.encryption.sha256", "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"),
    ("zoho.encryption.md5", hashlib.md5(b"hello").hexdigest()),
    ("zoho.encryption.sha512", hashlib.sha512(b"hello").hexdigest()),
])
def test_hashes_are_lower_case_hex(name, expected):
    assert task(name, "hello") == expected


def test_hash_output_types():
    digest = hashlib.sha256(b"hello").digest()
    assert task("zoho.encryption.sha256", "hello", "base64") == base64.b64encode(digest).decode()
    assert task("zoho.encryption.sha256", "hello", "binary") == digest.decode("latin-1")
    with pytest.raises(ScriptError):
        task("zoho.encryption.sha256", "hello", "octal")
    with pytest.raises(ScriptError):
        task("zoho.encryption.sha256", None)


def test_hmac_key_first_and_base64_default():
    mac = hmac.new(b"secret", b"hello", hashlib.sha256).digest()
    assert task("zoho.encryption.hmacsha256", "secret", "hello") == base64.b64encode(mac).decode()
    assert task("zoho.encryption.hmacsha256", "secret", "hello", "hex") == mac.hex()
    assert task("zoho.encryption.hmacsha1", "secret", "hello", "hex") == \
        "5112055c05f944f85755efc5cd8970e194e9f45b"
    assert task("zoho.encryption.hmacsha512", "k", "m", "hex") == \
        hmac.new(b"k", b"m", hashlib.sha512).hexdigest()
    with pytest.raises(ScriptError):
        task("zoho.encryption.hmacsha256", None, "hello")


def test_url_tasks_return_null_for_non_text():
    assert task("zoho.encryption.urlEncode", "a b&c") == "a%20b%26c"
    assert task("zoho.encryption.urlEncode", 5) is None
    assert task("zoho.encryption.urlDecode", "https%3A%2F%2Fwww.zoho.com") == "https://www.zoho.com"
    assert task("zoho.encryption.urlDecode", None) is None


def test_base_tasks():
    assert task("zoho.encryption.base64Decode", "am9obkB6eWxrZXIuY29t") == "john@zylker.com"
    assert task("zoho.encryption.base64Encode", "john@zylker.com") == "am9obkB6eWxrZXIuY29t"
    assert task("zoho.encryption.base64Encode", None) is None
    assert task("zoho.encryption.base32Decode", task("zoho.encryption.base32Encode", "é!")) == "é!"


@pytest.mark.parametrize("enc, dec", [("aesEncode", "aesDecode"),
                                      ("aesEncode128", "aesDecode128")])
@pytest.mark.parametrize("key", ["short key", "0123456789abcdef", "0123456789abcdef0123456789abcdef"])
def test_aes_round_trip(enc, dec, key):
    sealed = task(f"zoho.encryption.{enc}", key, "Secret text é")
    assert sealed != "Secret text é"
    assert task(f"zoho.encryption.{dec}", key, sealed) == "Secret text é"
    iv = "abcdefghijklmnop"
    fixed = task(f"zoho.encryption.{enc}", key, "x", iv)
    assert fixed == task(f"zoho.encryption.{enc}", key, "x", iv)
    assert task(f"zoho.encryption.{dec}", key, fixed, iv) == "x"


def test_aes_errors():
    sealed = task("zoho.encryption.aesEncode", "right key", "hello world, a longer text")
    with pytest.raises(ScriptError):
        task("zoho.encryption.aesDecode", "k", "not base64!!")
    with pytest.raises(ScriptError):
        task("zoho.encryption.aesDecode", "k", "YWJj")
    with pytest.raises(ScriptError):
        task("zoho.encryption.aesEncode", "k", "x", "short iv")
    with pytest.raises(ScriptError):
        task("zoho.encryption.aesEncode", "", "x")
    try:
        out = task("zoho.encryption.aesDecode", "wrong key", sealed)
    except ScriptError:
        return
    assert out != "hello world, a longer text"


def _pbkdf2_cbc(key: str, text: str, iv: bytes, iterations: int) -> str:
    """The documented-here derivation, computed independently of the engine."""
    from cryptography.hazmat.primitives import padding
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    aes_key = hashlib.pbkdf2_hmac("sha256", key.encode(), iv, iterations, 16)
    padder = padding.PKCS7(128).padder()
    plain = padder.update(text.encode()) + padder.finalize()
    enc = Cipher(algorithms.AES(aes_key), modes.CBC(iv)).encryptor()
    return base64.b64encode(enc.update(plain) + enc.finalize()).decode()


def test_aes128_iteration_count_derives_the_key():
    # aesencode128.html: a 4th argument, <iteration_count> (TEXT, default 0).
    iv = "0000000000000000"
    sealed = task("zoho.encryption.aesEncode128", "passkey", "Confidential details", iv, 10)
    assert sealed == _pbkdf2_cbc("passkey", "Confidential details", iv.encode(), 10)
    assert task("zoho.encryption.aesEncode128", "passkey", "Confidential details", iv, "10") \
        == sealed
    assert task("zoho.encryption.aesDecode128", "passkey", sealed, iv, " 10 ") == \
        "Confidential details"
    # A different count is a different key; 0 (the default) is the key without derivation.
    assert task("zoho.encryption.aesEncode128", "passkey", "Confidential details", iv, 11) \
        != sealed
    assert task("zoho.encryption.aesEncode128", "passkey", "x", iv, 0) == \
        task("zoho.encryption.aesEncode128", "passkey", "x", iv) == \
        task("zoho.encryption.aesEncode128", "passkey", "x", iv, None)
    try:
        wrong = task("zoho.encryption.aesDecode128", "passkey", sealed, iv, 11)
    except ScriptError:
        wrong = None
    assert wrong != "Confidential details"


def test_aes128_iteration_count_without_an_iv():
    # Without an IV the random one is the salt, stored in front as for a count of 0.
    sealed = task("zoho.encryption.aesEncode128", "passkey", "Secret é", None, 200)
    raw = base64.b64decode(sealed)
    assert base64.b64encode(raw[16:]).decode() == _pbkdf2_cbc("passkey", "Secret é", raw[:16], 200)
    assert task("zoho.encryption.aesDecode128", "passkey", sealed, None, "200") == "Secret é"


@pytest.mark.parametrize("name", ["aesEncode128", "aesDecode128"])
@pytest.mark.parametrize("iv, count, words", [
    (None, 201, "without an initialisation vector the iteration count cannot exceed 200"),
    (None, "201", "cannot exceed 200, not 201"),
    ("0000000000000000", 100_001, "cannot exceed 100,000 in this engine"),
    ("0000000000000000", -1, "cannot be negative"),
    ("0000000000000000", "ten", 'must be a whole number, not TEXT "ten"'),
    ("0000000000000000", "1.5", "must be a whole number"),
    ("0000000000000000", True, "must be a whole number, not BOOLEAN"),
    ("0000000000000000", "9" * 40, "must be a whole number"),
])
def test_aes128_bad_iteration_counts(name, iv, count, words):
    sealed = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
    value_arg = "text" if name.startswith("aesEncode") else sealed
    with pytest.raises(ScriptError) as info:
        task(f"zoho.encryption.{name}", "passkey", value_arg, iv, count)
    assert info.value.message.startswith(f"zoho.encryption.{name}:")
    assert words in info.value.message


def test_aes128_without_an_iv_refuses_more_than_500kb():
    big = "a" * (500 * 1024 + 1)
    with pytest.raises(ScriptError) as info:
        task("zoho.encryption.aesEncode128", "passkey", big)
    assert "cannot exceed 500KB" in info.value.message
    assert task("zoho.encryption.aesDecode128", "passkey",
                task("zoho.encryption.aesEncode128", "passkey", big, "0000000000000000"),
                "0000000000000000") == big
    assert task("zoho.encryption.aesEncode128", "passkey", big[:-1])


def test_iteration_count_is_only_for_the_128_bit_tasks():
    assert delugelang.compile('return zoho.encryption.aesEncode128("k", "v", null, 5);')
    with pytest.raises(DelugeError) as info:
        delugelang.compile('return zoho.encryption.aesEncode("k", "v", null, 5);')
    assert "zoho.encryption.aesEncode takes 2 to 3 arguments" in info.value.message
    assert value('zoho.encryption.aesDecode128("k", zoho.encryption.aesEncode128("k", "hi", '
                 '"abcdefghijklmnop", "3"), "abcdefghijklmnop", 3)') == "hi"


# ---------------------------------------------------------------- task forms in scripts

@pytest.mark.parametrize("expr, expected", [
    ('zoho.encryption.sha256("hello")',
     "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"),
    ('zoho.encryption.sha1("hello")', "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d"),
    ('zoho.encryption.hmacsha1("secret", "hello", "hex")', "5112055c05f944f85755efc5cd8970e194e9f45b"),
    ('zoho.encryption.base64Decode("am9obkB6eWxrZXIuY29t")', "john@zylker.com"),
    ('zoho.encryption.base64Encode("john@zylker.com")', "am9obkB6eWxrZXIuY29t"),
    ('zoho.encryption.urlEncode("a b")', "a%20b"),
    ('zoho.encryption.urlDecode("https%3A%2F%2Fwww.zoho.com")', "https://www.zoho.com"),
    ('zoho.encryption.aesDecode("k", zoho.encryption.aesEncode("k", "hi"))', "hi"),
])
def test_task_forms(expr, expected):
    assert value(expr) == expected


def test_task_errors_name_the_task_and_the_place():
    err = expr_error('zoho.encryption.sha256("hello", "octal")')
    assert isinstance(err, ScriptError)
    assert err.message.startswith("zoho.encryption.sha256:") and '"octal"' in err.message
    assert err.line == 1
    with pytest.raises(DelugeError) as info:
        delugelang.compile('x = 1;\nreturn zoho.encryption.md5();')
    assert "zoho.encryption.md5 takes 1 to 2 arguments" in info.value.message
    assert (info.value.line, info.value.column) == (2, 8)


def test_task_names_are_case_insensitive_and_need_no_service():
    # Pure computation: no record store, HTTP or connector service is configured here.
    assert value('ZOHO.ENCRYPTION.SHA1("hello")') == "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d"
    assert value('zoho.encryption.base64encode("a")') == "YQ=="


def test_aes_output_sizes_match_the_documented_examples():
    # aesencode.html: with a 16-character IV, "Confidential details" (20 bytes) encrypts to
    # 44 base64 characters (32 bytes); without one, to 64 (48 bytes, the IV in front).
    with_iv = value('zoho.encryption.aesEncode("passkey", "Confidential details", '
                    '"0000000000000000")')
    without = value('zoho.encryption.aesEncode("passkey", "Confidential details")')
    assert len(with_iv) == len("AR+ygx+et18UNeIltGh82NBgPQx6Y0hWbEcgN3NVbJA=")
    assert len(without) == len("F0JOCSWN0Eb2Y//llSoROcsQxHihYnMwCuJSywFaaigEJzQdjnznq7+rSUXy6JlG")
    assert value(f'zoho.encryption.aesDecode("passkey", "{with_iv}", "0000000000000000")') == \
        "Confidential details"


def test_unknown_encryption_task_is_a_check_error():
    with pytest.raises(DelugeError) as info:
        delugelang.compile('return zoho.encryption.rot13("a");')
    assert "unknown task 'zoho.encryption.rot13'" in str(info.value)


ODD_VALUES = ['"x"', '""', '0', '-1', '1.5', 'true', 'null', '{1, 2}', '{"a": 1}',
              "'01-Jan-2019'", '"hex"', '"binary"', '"0000000000000000"', '"%zz"',
              '"UTF-16LE"', '"é😀"', 'Collection()', '"' + "a" * 40 + '"']
FEW_VALUES = ['"k"', '5', 'null', '{1}', '"hex"', '"0000000000000000"', "'01-Jan-2019'", '""']


def _odd_calls():
    from delugelang.builtins.encoding_crypto import DOCUMENTED_NAMES
    for key, (_, lo, hi) in sorted(ENCRYPTION_TASKS.items()):
        name = DOCUMENTED_NAMES[key]
        yield name, [(v,) for v in ODD_VALUES] + [(a, b) for a in FEW_VALUES for b in FEW_VALUES] \
            + ([(a, '"v"', c) for a in FEW_VALUES for c in FEW_VALUES] if hi >= 3 else [])


@pytest.mark.parametrize("name, calls", list(_odd_calls()))
def test_odd_task_arguments_raise_only_deluge_errors(name, calls):
    for args in calls:
        source = f"return {name}({', '.join(args)});"
        try:
            delugelang.compile(source, cache=False).run(services=Services(random_seed=1))
        except DelugeError:
            pass
