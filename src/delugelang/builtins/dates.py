"""Date and date-time values: reading parts, adding and subtracting (deluge-reference.md §7.8).

A DATE is datetime.date, a DATE-TIME a naive datetime.datetime on the wall clock of the
run's zone (`rt.zone`, America/Los_Angeles unless the host says otherwise), a Creator TIME a
datetime.time. Outside Creator every date function also takes TEXT in a date-time format
("In services other than Zoho Creator, the value of this parameter can be entered either as
a text or as a date-time value", e.g. https://www.zoho.com/deluge/help/functions/datetime/workday.html);
a single-quoted literal that is not a valid date stays TEXT at compile time and is judged
here, so that `'32-Jan-2019'.addDay(1)` is a runtime error and `'001-Jan-2019'.getDay()`
is null, as the function pages document.

Python's datetime covers the years 1 to 9999 (Java goes further): a result outside them is a
Deluge error "date out of range", never an OverflowError.
"""

from __future__ import annotations

import datetime as _dt

from ..dateformats import DateProblem, parse_text, weekday_number, week_fields, month_length
from ..errors import ScriptError
from ..values import Decimal, type_name
from .registry import DATES, TEXT, TIME, method

DATE_RECEIVERS = DATES + TEXT
_UTC = _dt.timezone.utc
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_UTC)
_MAX_MILLIS = 253_402_300_799_999  # 31-Dec-9999 23:59:59.999 UTC


# ---------------------------------------------------------------------------
# Reading receivers and arguments

def parse_date_text(rt, text: str, op: str, nullable: bool = False):
    """The date, date-time or time a TEXT holds; None if `nullable` and it is no date at
    all; a ScriptError for a date-shaped text with a bad value (day 32, month 'Xyz')."""
    try:
        return parse_text(text, rt.now().date())
    except DateProblem as problem:
        if nullable and not problem.recognised:
            return None
        raise ScriptError(f"{op}: {problem}") from None


def moment(rt, value, op: str, nullable: bool = False):
    """A DATE-TIME for a DATE, DATE-TIME or date TEXT (a date means 00:00:00)."""
    t = type(value)
    if t is _dt.datetime:
        return value
    if t is _dt.date:
        return _dt.datetime(value.year, value.month, value.day)
    if t is str:
        parsed = parse_date_text(rt, value, op, nullable)
        if parsed is None or type(parsed) is _dt.datetime:
            return parsed
        if type(parsed) is _dt.date:
            return _dt.datetime(parsed.year, parsed.month, parsed.day)
        raise ScriptError(f"{op}: '{value}' is a time without a date")
    if value is None:
        raise ScriptError(f"{op}: the date-time value is null")
    raise ScriptError(f"{op}: a {type_name(value)} value is not a date-time")


def count_arg(value, op: str, what: str = "number") -> int:
    """A whole NUMBER argument (a DECIMAL is truncated, as Java's intValue would)."""
    t = type(value)
    if t is int:
        return value
    if t is Decimal and value.is_finite() and value.adjusted() < 18:
        return int(value)
    raise ScriptError(f"{op}: the {what} must be a NUMBER, not {type_name(value)}")


def out_of_range(op: str) -> ScriptError:
    return ScriptError(f"{op}: date out of range (Deluge dates here run from year 1 to 9999)")


def as_midnight(value) -> _dt.datetime:
    return _dt.datetime(value.year, value.month, value.day)


# ---------------------------------------------------------------------------
# Epoch milliseconds and zones

def to_epoch_millis(rt, value: _dt.datetime, zone=None) -> int:
    """Milliseconds since 1970-01-01 UTC of a wall-clock value in `zone` (the run's zone)."""
    aware = value.replace(tzinfo=zone or rt.zone)
    return (aware - _EPOCH) // _dt.timedelta(milliseconds=1)


def from_epoch_millis(rt, millis: int, op: str, zone=None) -> _dt.datetime:
    """The wall-clock DATE-TIME in the run's zone of an epoch-millisecond instant."""
    if abs(millis) > _MAX_MILLIS:
        raise out_of_range(op)
    try:
        instant = _EPOCH + _dt.timedelta(milliseconds=millis)
        return instant.astimezone(zone or rt.zone).replace(tzinfo=None)
    except (OverflowError, ValueError):
        raise out_of_range(op) from None


def convert_zone(rt, value: _dt.datetime, zone, op: str) -> _dt.datetime:
    """A wall-clock value of the run's zone shown on `zone`'s clock."""
    try:
        return value.replace(tzinfo=rt.zone).astimezone(zone).replace(tzinfo=None)
    except (OverflowError, ValueError):
        raise out_of_range(op) from None


# ---------------------------------------------------------------------------
# Arithmetic

def add_months(value, months: int, op: str):
    """Java Calendar.add(MONTH): the day is clamped to the new month's length."""
    total = value.year * 12 + value.month - 1 + months
    year, month0 = divmod(total, 12)
    if not 1 <= year <= 9999:
        raise out_of_range(op)
    day = min(value.day, month_length(year, month0 + 1))
    return value.replace(year=year, month=month0 + 1, day=day)


def add_days(value, days: int, op: str):
    try:
        return value + _dt.timedelta(days=days)
    except (OverflowError, ValueError):
        raise out_of_range(op) from None


def add_elapsed(rt, value: _dt.datetime, seconds: int, op: str) -> _dt.datetime:
    """Hours, minutes and seconds pass as real time (Java adds milliseconds), so a daylight
    saving change moves the wall clock."""
    if abs(seconds) > 400_000_000_000:
        raise out_of_range(op)
    try:
        aware = value.replace(tzinfo=rt.zone).astimezone(_UTC) + _dt.timedelta(seconds=seconds)
        return aware.astimezone(rt.zone).replace(tzinfo=None)
    except (OverflowError, ValueError):
        raise out_of_range(op) from None


def _shift(rt, value, op: str, unit: str, n):
    """Every add*/sub* function: a DATE-TIME result (a date counts as 00:00:00, as the
    addDay page shows: `'01-Jan-2019'.addDay(11)` is '12-Jan-2019 00:00:00'); a Creator
    TIME stays a TIME and wraps around midnight."""
    n = count_arg(n, op, f"number of {unit}")
    if type(value) is _dt.time:
        if unit not in _SECONDS:
            raise ScriptError(f"{op} cannot be used on a TIME value")
        base = _dt.datetime.combine(_dt.date(2000, 1, 1), value)
        return (base + _dt.timedelta(seconds=(n * _SECONDS[unit]) % 86400)).time()
    start = moment(rt, value, op)
    if unit == "days":
        return add_days(start, n, op)
    if unit == "weeks":
        return add_days(start, 7 * n, op)
    if unit == "months":
        return add_months(start, n, op)
    if unit == "years":
        return add_months(start, 12 * n, op)
    return add_elapsed(rt, start, n * _SECONDS[unit], op)


_SECONDS = {"hours": 3600, "minutes": 60, "seconds": 1}
_SHIFTABLE = DATE_RECEIVERS + TIME


@method("addDay", on=DATE_RECEIVERS, args=(1, 1))
def add_day(rt, value, n):
    """n days later (a negative n goes back); a date counts as 00:00:00 and the result is
    a DATE-TIME. An invalid date literal (day beyond the month, bad month, a time part with
    more than 2 digits, a 5-digit year) is a runtime error (addday.html).

    >>> '01-Jan-2019'.addDay(11)
    "12-Jan-2019 00:00:00"
    >>> addDay('01-Jan-2019 15:00:00', 40)
    "10-Feb-2019 15:00:00"
    """
    return _shift(rt, value, "addDay", "days", n)


@method("subDay", on=DATE_RECEIVERS, args=(1, 1))
def sub_day(rt, value, n):
    """n days earlier; a negative n goes forward (subday.html).

    >>> '01-Jan-2019'.subDay(1)
    "31-Dec-2018 00:00:00"
    """
    return _shift(rt, value, "subDay", "days", -count_arg(n, "subDay", "number of days"))


@method("addWeek", on=DATE_RECEIVERS, args=(1, 1))
def add_week(rt, value, n):
    """n weeks (7 n days) later.

    >>> '01-Jan-2019'.addWeek(2)
    "15-Jan-2019 00:00:00"
    """
    return _shift(rt, value, "addWeek", "weeks", n)


@method("subWeek", on=DATE_RECEIVERS, args=(1, 1))
def sub_week(rt, value, n):
    """n weeks earlier.

    >>> '15-Jan-2019 10:00:00'.subWeek(2)
    "01-Jan-2019 10:00:00"
    """
    return _shift(rt, value, "subWeek", "weeks", -count_arg(n, "subWeek", "number of weeks"))


@method("addMonth", on=DATE_RECEIVERS, args=(1, 1))
def add_month(rt, value, n):
    """n calendar months later; the 31st becomes the last day of a shorter month (Java
    Calendar.add, reference §7.8 [inf]).

    >>> '01-Jan-2019 15:00:00'.addMonth(13)
    "01-Feb-2020 15:00:00"
    >>> '31-Jan-2019'.addMonth(1)
    "28-Feb-2019 00:00:00"
    """
    return _shift(rt, value, "addMonth", "months", n)


@method("subMonth", on=DATE_RECEIVERS, args=(1, 1))
def sub_month(rt, value, n):
    """n calendar months earlier, clamped to the month's end like addMonth.

    >>> '31-Mar-2020'.subMonth(1)
    "29-Feb-2020 00:00:00"
    """
    return _shift(rt, value, "subMonth", "months", -count_arg(n, "subMonth", "number of months"))


@method("addYear", on=DATE_RECEIVERS, args=(1, 1))
def add_year(rt, value, n):
    """n years later; 29 February becomes 28 February in a common year (addyear.html).

    >>> '01-Jan-2019 15:00:00'.addYear(10)
    "01-Jan-2029 15:00:00"
    >>> '01-Jan-2019'.addYear(100)
    "01-Jan-2119 00:00:00"
    """
    return _shift(rt, value, "addYear", "years", n)


@method("subYear", on=DATE_RECEIVERS, args=(1, 1))
def sub_year(rt, value, n):
    """n years earlier.

    >>> '29-Feb-2020'.subYear(1)
    "28-Feb-2019 00:00:00"
    """
    return _shift(rt, value, "subYear", "years", -count_arg(n, "subYear", "number of years"))


@method("addHour", on=_SHIFTABLE, args=(1, 1))
def add_hour(rt, value, n):
    """n hours later (real elapsed time in the run's zone); a Creator TIME wraps at
    midnight (https://www.zoho.com/creator/help/script/built-in-functions/built-in-function-time-addhour.html).

    >>> '01-Jan-2019 23:00:00'.addHour(2)
    "02-Jan-2019 01:00:00"
    """
    return _shift(rt, value, "addHour", "hours", n)


@method("subHour", on=_SHIFTABLE, args=(1, 1))
def sub_hour(rt, value, n):
    """n hours earlier.

    >>> '01-Jan-2019'.subHour(1)
    "31-Dec-2018 23:00:00"
    """
    return _shift(rt, value, "subHour", "hours", -count_arg(n, "subHour", "number of hours"))


@method("addMinutes", on=_SHIFTABLE, args=(1, 1))
def add_minutes(rt, value, n):
    """n minutes later.

    >>> '01-Jan-2019 10:50:00'.addMinutes(20)
    "01-Jan-2019 11:10:00"
    """
    return _shift(rt, value, "addMinutes", "minutes", n)


@method("subMinutes", on=_SHIFTABLE, args=(1, 1))
def sub_minutes(rt, value, n):
    """n minutes earlier.

    >>> '01-Jan-2019 10:05:00'.subMinutes(10)
    "01-Jan-2019 09:55:00"
    """
    return _shift(rt, value, "subMinutes", "minutes",
                  -count_arg(n, "subMinutes", "number of minutes"))


@method("addSeconds", on=_SHIFTABLE, args=(1, 1))
def add_seconds(rt, value, n):
    """n seconds later.

    >>> '01-Jan-2019 23:59:30'.addSeconds(45)
    "02-Jan-2019 00:00:15"
    """
    return _shift(rt, value, "addSeconds", "seconds", n)


@method("subSeconds", on=_SHIFTABLE, args=(1, 1))
def sub_seconds(rt, value, n):
    """n seconds earlier.

    >>> '01-Jan-2019 00:00:10'.subSeconds(20)
    "31-Dec-2018 23:59:50"
    """
    return _shift(rt, value, "subSeconds", "seconds",
                  -count_arg(n, "subSeconds", "number of seconds"))


# ---------------------------------------------------------------------------
# Reading parts. The getter pages (getday.html, getyear.html, weekday.html...) document a
# runtime error for a 2-digit day beyond the month or a wrong 3+ letter month, and null
# for text that is no date at all (short month name, 3-digit day, long time parts, 5-digit
# year): `moment(..., nullable=True)`.

def _part(rt, value, op: str):
    if type(value) is _dt.time:
        return None
    return moment(rt, value, op, nullable=True)


@method("getDay", "day", on=DATE_RECEIVERS, args=(0, 0))
def get_day(rt, value):
    """The day of the month, 1 to 31 (getday.html); null for text that is not a date.

    >>> '08-Jan-2019'.getDay()
    8
    >>> isNull('001-Jan-2019'.getDay())
    true
    """
    m = _part(rt, value, "getDay")
    return None if m is None else m.day


@method("getMonth", "month", on=DATE_RECEIVERS, args=(0, 0))
def get_month(rt, value):
    """The month, 1 to 12 (getmonth.html).

    >>> '14-Dec-2023'.month()
    12
    """
    m = _part(rt, value, "getMonth")
    return None if m is None else m.month


@method("getYear", "year", on=DATE_RECEIVERS, args=(0, 0))
def get_year(rt, value):
    """The year (getYear.html); null when the year has more than 4 digits.

    >>> '01-Jan-2019'.getYear()
    2019
    >>> isNull('01-Jan-20199'.getYear())
    true
    """
    m = _part(rt, value, "getYear")
    return None if m is None else m.year


def _time_part(rt, value, op: str):
    if type(value) is _dt.time:
        return value
    if type(value) is str:
        parsed = parse_date_text(rt, value, op, nullable=True)
        if type(parsed) is _dt.time:
            return parsed
    return moment(rt, value, op, nullable=True)


@method("getHour", "hour", on=DATE_RECEIVERS + TIME, args=(0, 0))
def get_hour(rt, value):
    """The hour, 0 to 23; a date without a time gives 0, an hour of 24 or more in a
    literal resets the time to 00:00:00 (date-hour page).

    >>> '08-Jan-2019 19:05:00'.getHour()
    19
    >>> '08-Jan-2019 25:05:00'.getHour()
    0
    """
    m = _time_part(rt, value, "getHour")
    return None if m is None else m.hour


@method("getMinutes", "minute", "getMinute", on=DATE_RECEIVERS + TIME, args=(0, 0))
def get_minutes(rt, value):
    """The minutes, 0 to 59 [inf: as getHour].

    >>> '08-Jan-2019 19:05:07'.getMinutes()
    5
    """
    m = _time_part(rt, value, "getMinutes")
    return None if m is None else m.minute


@method("getSeconds", "second", "getSecond", on=DATE_RECEIVERS + TIME, args=(0, 0))
def get_seconds(rt, value):
    """The seconds, 0 to 59 [inf: as getHour].

    >>> '08-Jan-2019 19:05:07'.getSeconds()
    7
    """
    m = _time_part(rt, value, "getSeconds")
    return None if m is None else m.second


@method("getDayOfWeek", "weekday", on=DATE_RECEIVERS, args=(0, 0))
def get_day_of_week(rt, value):
    """The day of the week, 1 (Sunday) to 7 (Saturday)
    (https://zoho.com/creator/help/script/built-in-functions/built-in-function-date-weekday.html).

    >>> '15-Mar-2019'.weekday()
    6
    """
    m = _part(rt, value, "getDayOfWeek")
    return None if m is None else m.isoweekday() % 7 + 1


@method("getDayOfYear", on=DATE_RECEIVERS, args=(0, 0))
def get_day_of_year(rt, value):
    """The day of the year, 1 to 366 [3p].

    >>> '01-Feb-2019'.getDayOfYear()
    32
    """
    m = _part(rt, value, "getDayOfYear")
    return None if m is None else m.timetuple().tm_yday


@method("getWeekOfYear", on=DATE_RECEIVERS, args=(0, 1))
def get_week_of_year(rt, value, start_day=None):
    """The week of the year; weeks start on Sunday (or on `start_day`, e.g. "Monday") and
    week 1 holds 1 January, so the last days of December can be week 1 (getweekofyear.html).

    >>> '7-Feb-2021'.getWeekOfYear()
    7
    >>> '31-Dec-2019'.getWeekOfYear()
    1
    """
    first = 6
    if start_day is not None:
        first = weekday_number(start_day)
        if first is None:
            raise ScriptError(f"getWeekOfYear: {start_day!r} is not a day of the week")
    m = _part(rt, value, "getWeekOfYear")
    return None if m is None else week_fields(m.date(), first)[0]


@method("toStartOfMonth", on=DATE_RECEIVERS, args=(0, 0))
def to_start_of_month(rt, value):
    """The first day of the month at 00:00:00 (tostartofmonth.html).

    >>> '15-Mar-2019 15:00:00'.toStartOfMonth()
    "01-Mar-2019 00:00:00"
    """
    m = _part(rt, value, "toStartOfMonth")
    return None if m is None else _dt.datetime(m.year, m.month, 1)


@method("toStartOfWeek", on=DATE_RECEIVERS, args=(0, 0))
def to_start_of_week(rt, value):
    """The Sunday that starts the week, at 00:00:00 (tostartofweek.html).

    >>> '15-Mar-2019 15:00:00'.toStartOfWeek()
    "10-Mar-2019 00:00:00"
    """
    m = _part(rt, value, "toStartOfWeek")
    if m is None:
        return None
    return add_days(as_midnight(m), -(m.isoweekday() % 7), "toStartOfWeek")
