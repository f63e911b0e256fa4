"""Dates to and from text and numbers: toString/toText patterns, toDate, toDateTime,
toTime, unixEpoch, toNumber and getDateTime (deluge-reference.md §7.3, §7.8)."""

from __future__ import annotations

import datetime as _dt

from ..dateformats import (MONTHS, DateProblem, PatternError, compile_pattern, format_datetime,
                           format_size, parse_with_pattern, zone_named)
from ..errors import ScriptError
from ..values import Decimal, type_name
from .common import to_string as plain_to_string
from .dates import (as_midnight, convert_zone, count_arg, from_epoch_millis, moment,
                    parse_date_text, to_epoch_millis)
from .registry import DATES, NUMBER, TEXT, TIME, method

# ---------------------------------------------------------------------------
# Formatting

def _zone_arg(rt, zone, op: str):
    if zone is None:
        return None
    if type(zone) is not str:
        raise ScriptError(f"{op}: the time zone must be TEXT, not {type_name(zone)}")
    return zone_named(zone)


def format_value(rt, value: _dt.datetime, pattern, zone_name, op: str):
    """`value` (wall clock of the run's zone) in a SimpleDateFormat pattern, shown in
    `zone_name` if given. An unknown pattern letter gives null, as toString documents."""
    if type(pattern) is not str:
        raise ScriptError(f"{op}: the format must be TEXT, not {type_name(pattern)}")
    zone = _zone_arg(rt, zone_name, op)
    try:
        tokens = compile_pattern(pattern)
    except PatternError:
        return None
    rt.check_text(format_size(tokens))
    if zone is not None:
        value = convert_zone(rt, value, zone, op)
    return format_datetime(value, tokens, zone or rt.zone)


def _formattable(rt, value, op: str) -> _dt.datetime:
    """The DATE-TIME a formatting receiver stands for: a date at 00:00:00, a TIME on
    1 January 1970, a NUMBER as epoch milliseconds, a TEXT read as a date-time."""
    t = type(value)
    if t is _dt.time:
        return _dt.datetime.combine(_dt.date(1970, 1, 1), value)
    if t is int:
        return from_epoch_millis(rt, value, op)
    return moment(rt, value, op)


@method("toString", "toText", on=DATES + TIME, args=(0, 2))
def date_to_string(rt, value, pattern=None, zone=None):
    """The date-time as text; with a Java SimpleDateFormat `pattern` (quoted literal words
    such as "dd 'of' MMMM"; an unquoted letter that is not a pattern letter makes the result
    null) and optionally a time zone to convert to, e.g. "Asia/Kolkata" (tostring.html).
    An unknown zone is GMT, as in Java. Without a pattern a DATE prints dd-MMM-yyyy and a
    DATE-TIME dd-MMM-yyyy HH:mm:ss.

    >>> '15-Aug-1947 19:05:00'.toString("yyyy-MM-dd'T'HH:mm:ss")
    "1947-08-15T19:05:00"
    >>> '01-Jan-2019 10:00:00'.toString("dd MMM yyyy HH:mm", "Asia/Kolkata")
    "01 Jan 2019 23:30"
    >>> isNull('01-Jan-2019'.toString("dd of MMMM"))
    true
    """
    if pattern is None and zone is None:
        return plain_to_string(rt, value)
    if pattern is None:
        raise ScriptError("toString: a time zone needs a format before it")
    return format_value(rt, _formattable(rt, value, "toString"), pattern, zone, "toString")


@method("toString", "toText", on=TEXT + NUMBER, args=(0, 2))
def text_or_millis_to_string(rt, value, pattern=None, zone=None):
    """With a format, a date-time TEXT or a NUMBER of epoch milliseconds is formatted like
    a DATE-TIME ("applicable to all Zoho services except Zoho Creator", tostring.html);
    text that is not a date-time is then an error. Without one, as any value's toString.

    >>> 0.toString("dd-MMM-yyyy HH:mm:ss")
    "31-Dec-1969 16:00:00"
    >>> "2019-01-01".toString("MMMM d, yyyy")
    "January 1, 2019"
    """
    if pattern is None and zone is None:
        return plain_to_string(rt, value)
    if pattern is None:
        raise ScriptError("toString: a time zone needs a format before it")
    return format_value(rt, _formattable(rt, value, "toString"), pattern, zone, "toString")


@method("toDateTimeString", on=DATES + TIME + TEXT + NUMBER, args=(0, 2))
def to_date_time_string(rt, value, pattern=None, zone=None):
    """A date-time, date-time text or epoch milliseconds as text in `pattern` and `zone`
    (todatetimestring.html); without a pattern, dd-MMM-yyyy HH:mm:ss.

    >>> 1000.toDateTimeString("yyyy-MM-dd HH:mm:ss", "UTC")
    "1970-01-01 00:00:01"
    """
    moment_value = _formattable(rt, value, "toDateTimeString")
    return format_value(rt, moment_value, "dd-MMM-yyyy HH:mm:ss" if pattern is None else pattern,
                        zone, "toDateTimeString")


@method("getDateTime", on=DATES + TEXT, args=(0, 2))
def get_date_time(rt, value, hours=12, show_seconds=False):
    """A readable form such as "17th January 2018,10:10:37 AM": `hours` is 12 (default) or
    24, `show_seconds` false by default (get-date-time.html).

    >>> '17-Jan-2018 10:10:37'.getDateTime(12, true)
    "17th January 2018,10:10:37 AM"
    >>> '17-Jan-2018 09:00:59'.getDateTime()
    "17th January 2018,09:00 AM"
    >>> '22-Mar-2018 21:05:00'.getDateTime(24)
    "22nd March 2018,21:05"
    """
    m = moment(rt, value, "getDateTime")
    clock = count_arg(hours, "getDateTime", "hour format")
    if clock not in (12, 24):
        raise ScriptError(f"getDateTime: the hour format must be 12 or 24, not {clock}")
    if type(show_seconds) is not bool:
        raise ScriptError(f"getDateTime: showSeconds must be true or false, "
                          f"not {type_name(show_seconds)}")
    day = f"{m.day}{_ordinal(m.day)} {MONTHS[m.month - 1]} {m.year}"
    hour = m.hour if clock == 24 else (m.hour % 12 or 12)
    time = f"{hour:02d}:{m.minute:02d}" + (f":{m.second:02d}" if show_seconds else "")
    if clock == 12:
        time += " AM" if m.hour < 12 else " PM"
    return f"{day},{time}"


def _ordinal(day: int) -> str:
    if 11 <= day % 100 <= 13:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


# ---------------------------------------------------------------------------
# Reading dates from text and numbers

def _read(rt, value, mapping, op: str):
    """The date, date-time or time a toDate/toDateTime/toTime argument stands for."""
    t = type(value)
    if t is _dt.datetime or t is _dt.date or t is _dt.time:
        return value  # a date-time input ignores the mapping (todate.html)
    if t is int:
        return from_epoch_millis(rt, value, op)  # 1 is 31-Dec-1969 (todate.html)
    if t is Decimal and value.is_finite() and value.adjusted() < 18:
        return from_epoch_millis(rt, int(value), op)
    if t is not str:
        raise ScriptError(f"{op}: a {type_name(value)} value cannot be read as a date-time")
    if mapping is None:
        return parse_date_text(rt, value, op)
    if type(mapping) is not str:
        raise ScriptError(f"{op}: the date-time mapping must be TEXT, not {type_name(mapping)}")
    try:
        tokens = compile_pattern(mapping)
    except PatternError as exc:
        raise ScriptError(f"{op}: {mapping!r} is not a date-time pattern: {exc}") from None
    try:
        parsed, offset = parse_with_pattern(value, tokens, rt.now().date())
    except DateProblem as exc:
        raise ScriptError(f"{op}: {exc}") from None
    if offset is not None:
        # Text with its own offset ("...-07:00" read with X or Z) means that instant.
        instant = parsed.replace(tzinfo=_dt.timezone(offset))
        parsed = from_epoch_millis(rt, (instant - _EPOCH) // _dt.timedelta(milliseconds=1), op)
    return parsed


_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)
_READABLE = TEXT + NUMBER + DATES + (Decimal,)


@method("toDate", on=_READABLE, args=(0, 1))
def to_date(rt, value, mapping=None):
    """A DATE from date-time text (with an optional SimpleDateFormat `mapping` using the
    text's own separators: M/MM a month number, MMM+ a name), from epoch milliseconds in the
    run's zone (1 is 31-Dec-1969), or from a date-time (its time dropped). A month above 12
    or a day beyond the month is a runtime error (todate.html); so is text the mapping does
    not fit. As in Java, text after the mapping's last field is ignored.

    >>> toDate("16/08/2026", "dd/MM/yyyy")
    "16-Aug-2026"
    >>> toDate(1)
    "31-Dec-1969"
    >>> '15-Aug-1947 19:00:00'.toDate()
    "15-Aug-1947"
    """
    read = _read(rt, value, mapping, "toDate")
    if type(read) is _dt.time:
        raise ScriptError(f"toDate: '{value}' is a time without a date")
    return _dt.date(read.year, read.month, read.day)


@method("toDateTime", on=_READABLE, args=(0, 1))
def to_date_time(rt, value, mapping=None):
    """As toDate, keeping the time (to-date-time.html); a date gets 00:00:00.

    >>> toDateTime("2019-01-01 15:30:00")
    "01-Jan-2019 15:30:00"
    >>> toDateTime("2020-12-09T17:25:24-07:00", "yyyy-MM-dd'T'HH:mm:ssXXX")
    "09-Dec-2020 16:25:24"
    """
    read = _read(rt, value, mapping, "toDateTime")
    if type(read) is _dt.time:
        raise ScriptError(f"toDateTime: '{value}' is a time without a date")
    return read if type(read) is _dt.datetime else as_midnight(read)


@method("toTime", on=_READABLE + TIME, args=(0, 1))
def to_time(rt, value, mapping=None):
    """A DATE-TIME from text, epoch milliseconds or a date
    (https://zoho.com/creator/help/script/built-in-functions/built-in-function-common-totime.html);
    text holding only a time ("10:30:00") gives a Creator TIME.

    >>> toTime(1000).getDay()
    31
    >>> "Aug 21, 2013 16:04:37".toTime()
    "21-Aug-2013 16:04:37"
    """
    read = _read(rt, value, mapping, "toTime")
    if type(read) is _dt.date:
        return as_midnight(read)
    return read


@method("unixEpoch", on=TEXT, args=(0, 1))
def unix_epoch(rt, text, zone=None):
    """Milliseconds since 1970-01-01 00:00:00 UTC of a date-time TEXT, read in `zone` (a
    TZ database name; none: the run's zone; an unknown one: GMT). The unix-epoch page says
    the input must be text, so a DATE-TIME value is an error, and text that is not a
    date-time comes back unchanged (https://zoho.com/deluge/help/functions/datetime/unix-epoch.html).

    >>> "01-Jan-1970 00:00:00".unixEpoch("UTC")
    0
    >>> "31-Dec-1969 16:00:01".unixEpoch()
    1000
    """
    parsed = parse_date_text(rt, text, "unixEpoch", nullable=True)
    if parsed is None or type(parsed) is _dt.time:
        return text
    tz = _zone_arg(rt, zone, "unixEpoch")
    when = parsed if type(parsed) is _dt.datetime else as_midnight(parsed)
    return to_epoch_millis(rt, when, tz)


@method("toNumber", "toLong", "toInt", on=DATES, args=(0, 0))
def date_to_number(rt, value):
    """Epoch milliseconds of a date-time on the run's clock (Pacific by default: the
    to-number page gives 1000 for '31-Dec-1969 16:00:01' and -1000 for '31-Dec-1969 15:59:59').

    >>> '31-Dec-1969 16:00:01'.toNumber()
    1000
    >>> '31-Dec-1969 15:59:59'.toLong()
    -1000
    """
    return to_epoch_millis(rt, moment(rt, value, "toNumber"))
