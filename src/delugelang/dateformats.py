"""Deluge's date-time literal formats and Java SimpleDateFormat patterns, in plain Python.

Literals (`'15-Aug-1947'`, `'15-Aug-1947 19:00:00'`) follow deluge-reference.md §7.8,
from https://www.zoho.com/deluge/help/datatypes/date-time.html and the rules repeated on
every date function's page (e.g. https://www.zoho.com/deluge/help/functions/datetime/addyear.html):

* a date without a time means 00:00:00; a single-digit day is fine (`'1-Jan-2019'`);
* an hour of 24 or more resets the time to 00:00:00, minutes of 60 or more reset mm:ss to
  00:00, seconds of 60 or more reset ss to 00;
* a day beyond the month's length, or a month name of 3+ letters that is not a month, is a
  runtime error ("invalid": `DateProblem.recognised` is True);
* a month name shorter than 3 letters, a day with more than 2 digits, an hour, minute or
  second with more than 2 digits, or a year with more than 4 digits is not a date at all
  ("unrecognised"): the getters return null for it, the other functions fail.

Patterns are Java's SimpleDateFormat letters (https://docs.oracle.com/javase/8/docs/api/java/text/SimpleDateFormat.html),
compiled once per pattern and then used to format and to parse (`toDate(text, mapping)`).
"""

from __future__ import annotations

import datetime as _dt
import functools
import re

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

_MONTH_NUMBER = {**{m.lower(): i + 1 for i, m in enumerate(MONTHS)},
                 **{m[:3].lower(): i + 1 for i, m in enumerate(MONTHS)}}
_DAY_NUMBER = {**{d.lower(): i for i, d in enumerate(DAYS)},
               **{d[:3].lower(): i for i, d in enumerate(DAYS)}}


class DateProblem(ValueError):
    """Text that is not a valid date-time. `recognised`: it had a date's shape but a bad
    value (a runtime error everywhere); otherwise it is not a date at all."""

    def __init__(self, message: str, recognised: bool):
        super().__init__(message)
        self.recognised = recognised


def weekday_number(name) -> int | None:
    """Python's weekday (Monday 0) for an English day name or its 3-letter form."""
    if type(name) is not str:
        return None
    return _DAY_NUMBER.get(name.strip().lower())


def two_digit_year(value: int, today: _dt.date, month: int = 1, day: int = 1) -> int:
    """Java SimpleDateFormat: a 2-digit year lands within 80 years before and 20 after
    today (the date `month`/`day` decides in the boundary year)."""
    start_year = today.year - 80
    year = (start_year // 100) * 100 + value
    if year < start_year or (year == start_year and (month, day) < (today.month, today.day)):
        year += 100
    return year


# ---------------------------------------------------------------------------
# Literals

_TIME = r"(?:\s(?P<H>\d+):(?P<m>\d+)(?::(?P<s>\d+))?(?:\s?(?P<ap>[AaPp][Mm]))?)?"


@functools.cache
def _shapes() -> list:
    """The date shapes, compiled on first use (at import they cost about 10 ms of every
    `dg run` start-up, bench/NOTES.md B6)."""
    return [
        ("num", re.compile(r"(?P<a>\d+)(?P<sep>[-/.])(?P<b>\d+)(?P=sep)(?P<c>\d+)" + _TIME)),
        ("num", re.compile(r"(?P<a>\d+)(?P<sep> )(?P<b>\d+) (?P<c>\d+)" + _TIME)),
        ("dmy", re.compile(r"(?P<d>\d+)-(?P<mon>[A-Za-z]+)-(?P<y>\d+)" + _TIME)),
        ("dmy", re.compile(r"(?P<d>\d+) (?P<mon>[A-Za-z]+)(?:, ?| )(?P<y>\d+)" + _TIME)),
        ("mdy", re.compile(r"(?P<mon>[A-Za-z]+) (?P<d>\d+)(?:, ?| )(?P<y>\d+)" + _TIME)),
        ("mdy", re.compile(r"(?P<E>[A-Za-z]+), ?(?P<mon>[A-Za-z]+) (?P<d>\d+), ?(?P<y>\d+)"
                           + _TIME)),
    ]


_TIME_ONLY = re.compile(r"(?P<H>\d+):(?P<m>\d+)(?::(?P<s>\d+))?(?:\s?(?P<ap>[AaPp][Mm]))?")

# Numeric orders tried per separator, first valid wins (reference §7.8 prefers MM/dd/yyyy
# for the ambiguous slashed forms; dotted forms are listed day first).
_ORDERS = {"-": ("mdy", "dmy", "ymd"), "/": ("mdy", "dmy", "ymd"),
           ".": ("dmy", "mdy", "ymd"), " ": ("dmy",)}


def parse_literal(text: str, today: _dt.date | None = None):
    """A date (datetime.date), a date-time (datetime.datetime), a time, or None if `text`
    is not a valid Deluge date-time literal (then the literal stays TEXT: reference §2, and
    the date functions re-read it at run time to raise or return null as documented).
    `today` places two-digit years (the run's date, rt.now()); without it the system date
    does, for host input read before any run exists."""
    if len(text) > 60 or not any(c.isdigit() for c in text):
        return None
    try:
        return _parse_cached(text, _dt.date.today() if today is None else today)
    except DateProblem:
        return None


# Two dates whose two-digit-year windows ([year - 80, year + 20), two_digit_year) do not
# overlap: a literal with a two-digit year reads differently against each.
_WINDOW_PROBES = (_dt.date(2000, 1, 1), _dt.date(2100, 1, 1))


def needs_run_date(text: str) -> bool:
    """True when what the literal means depends on today's date (a two-digit year), so it
    must be read when the script runs, against the run's clock, not when it compiles."""
    first, second = (parse_literal(text, probe) for probe in _WINDOW_PROBES)
    return first != second


def literal_for_run(rt, text: str):
    """A quoted literal read against the run's date: its value, or the text itself."""
    value = parse_literal(text, rt.now().date())
    return text if value is None else value


def parse_text(text: str, today: _dt.date):
    """Like parse_literal, but raises DateProblem saying why `text` is not a date-time."""
    if len(text) > 60:
        raise DateProblem("the text is too long to be a date-time", False)
    return _parse_cached(text, today)


@functools.lru_cache(maxsize=512)
def _parse_cached(text: str, today: _dt.date):
    s = " ".join(text.split())
    for kind, shape in _shapes():
        m = shape.fullmatch(s)
        if m:
            day = _date_part(kind, m, today)
            if m.group("H") is None:
                return day
            return _dt.datetime.combine(day, _time_part(m))
    m = _TIME_ONLY.fullmatch(s)
    if m:
        return _time_part(m)
    raise DateProblem(f"'{text}' is not a date-time value", False)


def _date_part(kind: str, m, today: _dt.date) -> _dt.date:
    if kind == "num":
        return _numeric_date(m.group("a"), m.group("b"), m.group("c"), m.group("sep"), today)
    if m.groupdict().get("E") and weekday_number(m.group("E")) is None:
        raise DateProblem(f"'{m.group('E')}' is not a day name", False)
    d, y = m.group("d"), m.group("y")
    _check_digits(d, 2, "day")
    _check_digits(y, 4, "year")
    mon = m.group("mon")
    if len(mon) < 3:
        raise DateProblem(f"'{mon}' is not a month name", False)
    month = _MONTH_NUMBER.get(mon.lower())
    if month is None:
        raise DateProblem(f"'{mon}' is not a month name", True)
    return make_date(_year(y, today, month, int(d)), month, int(d))


def _numeric_date(a: str, b: str, c: str, sep: str, today: _dt.date) -> _dt.date:
    orders = ("ymd",) if len(a) > 2 else _ORDERS[sep]
    problem = None
    for order in orders:
        fields = dict(zip(order, (a, b, c)))
        try:
            _check_digits(fields["y"], 4, "year")
            _check_digits(fields["m"], 2, "month")
            _check_digits(fields["d"], 2, "day")
            month, day = int(fields["m"]), int(fields["d"])
            return make_date(_year(fields["y"], today, month, day), month, day)
        except DateProblem as exc:
            problem = problem or exc
            if not exc.recognised and len(orders) == 1:
                raise
    raise problem


def _check_digits(digits: str, most: int, what: str) -> None:
    if len(digits) > most:
        raise DateProblem(f"the {what} '{digits}' has more than {most} digits", False)


def _year(digits: str, today: _dt.date, month: int, day: int) -> int:
    value = int(digits)
    return two_digit_year(value, today, month, day) if len(digits) == 2 else value


def make_date(year: int, month: int, day: int) -> _dt.date:
    """A date, or a DateProblem naming the bad part (Java's non-lenient calendar)."""
    if not 1 <= month <= 12:
        raise DateProblem(f"month {month} is not between 1 and 12", True)
    if not 1 <= year <= 9999:
        raise DateProblem(f"year {year} is out of the supported range 1 to 9999", True)
    last = month_length(year, month)
    if not 1 <= day <= last:
        raise DateProblem(f"day {day} is not in {MONTHS[month - 1]} {year}, which has {last} days",
                          True)
    return _dt.date(year, month, day)


def month_length(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _time_part(m) -> _dt.time:
    h, mi, s = m.group("H"), m.group("m"), m.group("s") or "0"
    for digits, what in ((h, "hour"), (mi, "minute"), (s, "second")):
        _check_digits(digits, 2, what)
    hour, minute, second = int(h), int(mi), int(s)
    # Documented resets (addYear/addDay/getHour pages): not errors, not rollovers.
    if hour >= 24:
        return _dt.time(0, 0, 0)
    if minute >= 60:
        minute = second = 0
    elif second >= 60:
        second = 0
    ap = m.group("ap")
    if ap:
        if hour > 12:
            raise DateProblem(f"hour {hour} does not go with {ap.upper()}", True)
        hour = hour % 12 + (12 if ap.lower() == "pm" else 0)
    return _dt.time(hour, minute, second)


# ---------------------------------------------------------------------------
# Time zones

# Java's three-letter IDs (java.util.TimeZone SHORT_IDS) that tzdata lacks or means otherwise.
_JAVA_SHORT_IDS = {
    "ACT": "Australia/Darwin", "AET": "Australia/Sydney", "AGT": "America/Argentina/Buenos_Aires",
    "ART": "Africa/Cairo", "AST": "America/Anchorage", "BET": "America/Sao_Paulo",
    "BST": "Asia/Dhaka", "CAT": "Africa/Harare", "CNT": "America/St_Johns",
    "CST": "America/Chicago", "CTT": "Asia/Shanghai", "EAT": "Africa/Addis_Ababa",
    "ECT": "Europe/Paris", "IET": "America/Indiana/Indianapolis", "IST": "Asia/Kolkata",
    "JST": "Asia/Tokyo", "MIT": "Pacific/Apia", "NET": "Asia/Yerevan", "NST": "Pacific/Auckland",
    "PLT": "Asia/Karachi", "PNT": "America/Phoenix", "PRT": "America/Puerto_Rico",
    "PST": "America/Los_Angeles", "SST": "Pacific/Guadalcanal", "VST": "Asia/Ho_Chi_Minh",
    "EST": "-05:00", "MST": "-07:00", "HST": "-10:00",
}
_CUSTOM_ID = re.compile(r"(?:GMT|UTC)([+-])(\d{1,2})(?::?(\d{2}))?")
_ZONE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_+\-]*(?:/[A-Za-z0-9_+\-]+){0,2}")
GMT = _dt.timezone(_dt.timedelta(0), "GMT")


def zone_named(name: str):
    """The zone for a Java TimeZone ID; an unknown ID is GMT, as in Java (and as the
    unixEpoch page documents)."""
    name = name.strip()
    return GMT if len(name) > 60 else _zone_named(name)


@functools.lru_cache(maxsize=128)
def _zone_named(name: str):
    name = _JAVA_SHORT_IDS.get(name, name)
    if name in ("GMT", "UTC", "Z"):
        return GMT if name != "UTC" else _dt.timezone.utc
    custom = _CUSTOM_ID.fullmatch(name)
    if custom:
        return _fixed(custom.group(1), custom.group(2), custom.group(3) or "0")
    if not _ZONE_NAME.fullmatch(name):
        return GMT
    from zoneinfo import ZoneInfo  # on first use: its import reads sysconfig, ~3 ms at start-up

    try:
        return ZoneInfo(name)
    except (ValueError, OSError, LookupError):
        return GMT


def _fixed(sign: str, hours: str, minutes: str):
    h, m = int(hours), int(minutes)
    if h > 23 or m > 59:
        return GMT
    delta = _dt.timedelta(hours=h, minutes=m)
    return _dt.timezone(-delta if sign == "-" else delta)


# ---------------------------------------------------------------------------
# SimpleDateFormat patterns

PATTERN_LETTERS = frozenset("GyYMLwWDdFEuaHkKhmsSzZX")
_NUMERIC_LETTERS = frozenset("yYwWDdFuHkKhmsS")


class PatternError(ValueError):
    """Java's IllegalArgumentException for a bad pattern (Deluge returns null)."""


def compile_pattern(pattern: str) -> tuple:
    """The pattern as (letter, count) fields and literal strings (short ones cached)."""
    return _compile_cached(pattern) if len(pattern) <= 200 else _compile(pattern)


@functools.lru_cache(maxsize=256)
def _compile_cached(pattern: str) -> tuple:
    return _compile(pattern)


def _compile(pattern: str) -> tuple:
    tokens = []
    literal = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "'":
            end = i + 1
            if end < n and pattern[end] == "'":
                literal.append("'")
                i += 2
                continue
            chunk = []
            while True:
                if end >= n:
                    raise PatternError("unterminated quote in the pattern")
                if pattern[end] == "'":
                    if end + 1 < n and pattern[end + 1] == "'":
                        chunk.append("'")
                        end += 2
                        continue
                    break
                chunk.append(pattern[end])
                end += 1
            literal.append("".join(chunk))
            i = end + 1
        elif ("a" <= c <= "z") or ("A" <= c <= "Z"):
            if c not in PATTERN_LETTERS:
                raise PatternError(f"'{c}' is not a date-time pattern letter")
            j = i
            while j < n and pattern[j] == c:
                j += 1
            if c == "X" and j - i > 3:
                raise PatternError("X takes at most 3 letters")
            if literal:
                tokens.append("".join(literal))
                literal = []
            tokens.append((c, j - i))
            i = j
        else:
            literal.append(c)
            i += 1
    if literal:
        tokens.append("".join(literal))
    return tuple(tokens)


def format_size(tokens: tuple) -> int:
    """An upper bound of the formatted text's length (checked before formatting)."""
    return sum(len(t) if type(t) is str else t[1] + 24 for t in tokens)


def format_datetime(value: _dt.datetime, tokens: tuple, zone) -> str:
    """`value` (naive wall time in `zone`) in the compiled pattern."""
    out = []
    for token in tokens:
        if type(token) is str:
            out.append(token)
        else:
            out.append(_format_field(value, token[0], token[1], zone))
    return "".join(out)


def _pad(number: int, count: int) -> str:
    return str(number).zfill(count)


def _format_field(v: _dt.datetime, letter: str, count: int, zone) -> str:
    if letter == "y" or letter == "Y":
        year = v.year if letter == "y" else week_fields(v.date(), 6)[1]
        return f"{year % 100:02d}" if count == 2 else _pad(year, count)
    if letter == "M" or letter == "L":
        if count >= 4:
            return MONTHS[v.month - 1]
        return MONTHS[v.month - 1][:3] if count == 3 else _pad(v.month, count)
    if letter == "E":
        name = DAYS[v.weekday()]
        return name if count >= 4 else name[:3]
    simple = _SIMPLE_FIELDS.get(letter)
    if simple is not None:
        return _pad(simple(v), count)
    if letter == "a":
        return "AM" if v.hour < 12 else "PM"
    if letter == "G":
        return "AD"
    return _format_zone(v, letter, count, zone)


_SIMPLE_FIELDS = {
    "d": lambda v: v.day,
    "H": lambda v: v.hour,
    "m": lambda v: v.minute,
    "s": lambda v: v.second,
    "S": lambda v: v.microsecond // 1000,
    "h": lambda v: v.hour % 12 or 12,
    "K": lambda v: v.hour % 12,
    "k": lambda v: v.hour or 24,
    "D": lambda v: v.timetuple().tm_yday,
    "F": lambda v: (v.day - 1) // 7 + 1,
    "u": lambda v: v.isoweekday(),
    "w": lambda v: week_fields(v.date(), 6)[0],
    "W": lambda v: week_of_month(v.date(), 6),
}

_LONG_ZONE_NAMES = {
    "PST": "Pacific Standard Time", "PDT": "Pacific Daylight Time",
    "MST": "Mountain Standard Time", "MDT": "Mountain Daylight Time",
    "CST": "Central Standard Time", "CDT": "Central Daylight Time",
    "EST": "Eastern Standard Time", "EDT": "Eastern Daylight Time",
    "IST": "India Standard Time", "GMT": "Greenwich Mean Time", "UTC": "Coordinated Universal Time",
    "BST": "British Summer Time", "CET": "Central European Time",
    "CEST": "Central European Summer Time", "JST": "Japan Standard Time",
}


def _offset(v: _dt.datetime, zone) -> _dt.timedelta:
    return v.replace(tzinfo=zone).utcoffset() or _dt.timedelta(0)


def _offset_text(delta: _dt.timedelta, colon: bool, minutes: bool = True) -> str:
    total = int(delta.total_seconds()) // 60
    sign = "-" if total < 0 else "+"
    h, m = divmod(abs(total), 60)
    if not minutes:
        return f"{sign}{h:02d}"
    return f"{sign}{h:02d}:{m:02d}" if colon else f"{sign}{h:02d}{m:02d}"


def _format_zone(v: _dt.datetime, letter: str, count: int, zone) -> str:
    delta = _offset(v, zone)
    if letter == "Z":
        return _offset_text(delta, False)
    if letter == "X":
        if not delta:
            return "Z"
        return _offset_text(delta, count == 3, minutes=count > 1)
    short = v.replace(tzinfo=zone).tzname() or ""
    if not short or short[0] in "+-" or short == "UTC" and zone is not _dt.timezone.utc:
        short = "GMT" + _offset_text(delta, True) if delta else "GMT"
    if count >= 4:
        return _LONG_ZONE_NAMES.get(short, short)
    return short


def week_fields(day: _dt.date, first_weekday: int) -> tuple[int, int]:
    """(week of year, week year) as Java's Calendar counts them with weeks starting on
    `first_weekday` (Python numbering, Sunday 6) and 1 minimal day: week 1 holds 1 January,
    so the last days of December can be week 1 of the next year."""
    if day.month == 12 and day.day >= 25 and day.year < 9999:
        next_jan1 = _dt.date(day.year + 1, 1, 1)
        start_next = next_jan1 - _dt.timedelta(days=(next_jan1.weekday() - first_weekday) % 7)
        if day >= start_next:
            return 1, day.year + 1
    jan1 = _dt.date(day.year, 1, 1)
    offset = (jan1.weekday() - first_weekday) % 7
    return (day.timetuple().tm_yday - 1 + offset) // 7 + 1, day.year


def week_of_month(day: _dt.date, first_weekday: int) -> int:
    offset = (day.replace(day=1).weekday() - first_weekday) % 7
    return (day.day - 1 + offset) // 7 + 1


# -- parsing with a pattern ------------------------------------------------------

_AMPM = {"am": 0, "pm": 1}
_OFFSET_TEXT = re.compile(r"(?:GMT|UTC)?([+-])(\d{2}):?(\d{2})?")


def parse_with_pattern(text: str, tokens: tuple, today: _dt.date):
    """Read `text` with a compiled pattern as Java's SimpleDateFormat.parse does
    (non-lenient; text after the pattern is ignored). Returns (datetime, offset or None)."""
    fields: dict = {}
    pos = 0
    for index, token in enumerate(tokens):
        if type(token) is str:
            if not text.startswith(token, pos):
                raise DateProblem(f"'{text}' does not match the pattern", True)
            pos += len(token)
            continue
        letter, count = token
        while pos < len(text) and text[pos] in " \t":
            pos += 1
        abutting = index + 1 < len(tokens) and _is_numeric(tokens[index + 1])
        pos = _parse_field(text, pos, letter, count, abutting, fields)
    if fields.pop("two-digit year", False):
        fields["y"] = two_digit_year(fields["y"], today, fields.get("M", 1), fields.get("d", 1))
    return _assemble(fields), fields.get("offset")


def _is_numeric(token) -> bool:
    """Java reads a number field followed directly by another number field ("yyyyMMdd")
    with exactly its letter count of digits."""
    return type(token) is tuple and (token[0] in _NUMERIC_LETTERS
                                     or token[0] in "ML" and token[1] < 3)


def _parse_field(text, pos, letter, count, abutting, fields) -> int:
    if letter in "ML" and count >= 3 or letter == "E" or letter == "a":
        names = (_MONTH_NUMBER if letter in "ML" else _DAY_NUMBER if letter == "E" else _AMPM)
        for length in (9, 8, 7, 6, 5, 4, 3, 2):
            word = text[pos:pos + length].lower()
            if len(word) == length and word in names:
                if letter in "ML":
                    fields["M"] = names[word]
                elif letter == "a":
                    fields["a"] = names[word]
                return pos + length
        raise DateProblem(f"'{text}' does not match the pattern at '{text[pos:pos + 10]}'", True)
    if letter in "zZX":
        m = _OFFSET_TEXT.match(text, pos)
        if text.startswith("Z", pos) and not m:
            fields["offset"] = _dt.timedelta(0)
            return pos + 1
        if m is None:
            raise DateProblem(f"'{text}' has no time zone offset where the pattern wants one", True)
        delta = _dt.timedelta(hours=int(m.group(2)), minutes=int(m.group(3) or 0))
        if delta >= _dt.timedelta(hours=24):
            raise DateProblem(f"the offset '{m.group(0)}' is out of range", True)
        fields["offset"] = -delta if m.group(1) == "-" else delta
        return m.end()
    end = pos
    limit = pos + count if abutting else len(text)
    while end < len(text) and end < limit and text[end].isdigit():
        end += 1
    digits = text[pos:end]
    if not digits:
        raise DateProblem(f"'{text}' does not match the pattern at '{text[pos:pos + 10]}'", True)
    if len(digits) > 9:
        raise DateProblem(f"the number '{digits}' is too long for a date-time field", True)
    value = int(digits)
    if letter == "y":
        fields["two-digit year"] = count <= 2 and len(digits) == 2
    fields[letter] = value
    return end


def _assemble(fields: dict) -> _dt.datetime:
    year = fields.get("y", fields.get("Y", 1970))
    if "D" in fields and "M" not in fields and "d" not in fields:
        if not 1 <= fields["D"] <= (366 if month_length(year, 2) == 29 else 365) or not 1 <= year <= 9999:
            raise DateProblem(f"day of year {fields['D']} is out of range", True)
        day = _dt.date(year, 1, 1) + _dt.timedelta(days=fields["D"] - 1)
    else:
        day = make_date(year, fields.get("M", 1), fields.get("d", 1))
    hour = _hour(fields)
    minute, second = fields.get("m", 0), fields.get("s", 0)
    if minute > 59 or second > 59:
        raise DateProblem(f"{minute:02d}:{second:02d} is not a valid minute and second", True)
    millis = fields.get("S", 0)
    if millis > 999:
        raise DateProblem(f"{millis} milliseconds is out of range", True)
    return _dt.datetime(day.year, day.month, day.day, hour, minute, second, millis * 1000)


def _hour(fields: dict) -> int:
    pm = fields.get("a")
    if "H" in fields:
        hour = fields["H"]
        if hour > 23:
            raise DateProblem(f"hour {hour} is out of range", True)
        return hour
    if "k" in fields:
        if not 1 <= fields["k"] <= 24:
            raise DateProblem(f"hour {fields['k']} is out of range", True)
        return fields["k"] % 24
    if "h" in fields or "K" in fields:
        raw = fields["h"] if "h" in fields else fields["K"]
        if ("h" in fields and not 1 <= raw <= 12) or ("K" in fields and raw > 11):
            raise DateProblem(f"hour {raw} is out of range", True)
        return raw % 12 + (12 if pm else 0)
    return 12 if pm else 0
