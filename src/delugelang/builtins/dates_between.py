"""Spans between dates, business days, and month/week jumps (deluge-reference.md §7.8)."""

from __future__ import annotations

import datetime as _dt

from ..dateformats import DAYS, month_length, weekday_number
from ..errors import ScriptError
from ..values import Collection, TypedList, type_name
from .dates import (DATE_RECEIVERS, add_days, add_months, count_arg, moment, out_of_range,
                    to_epoch_millis)
from .registry import method


def _two_dates(rt, start, end, op: str) -> tuple[_dt.datetime, _dt.datetime]:
    return moment(rt, start, op), moment(rt, end, op)


def _day_span(rt, start, end, op: str) -> int:
    a, b = _two_dates(rt, start, end, op)
    return (b.date() - a.date()).days


def _truncate(numerator: int, denominator: int) -> int:
    """Java's integer division: toward zero."""
    q = abs(numerator) // denominator
    return q if numerator >= 0 else -q


@method("daysBetween", on=DATE_RECEIVERS, args=(1, 1))
def days_between(rt, start, end):
    """Whole days from `start` to `end` (negative if `end` is earlier); the time of day is
    not counted, so 1-Jan-2019 to 31-Dec-2019 is 364 (daysbetween.html).

    >>> daysBetween('1-Jan-2019', '31-Dec-2019')
    364
    >>> '1-Jan-2020'.daysBetween('31-Dec-2020')
    365
    """
    return _day_span(rt, start, end, "daysBetween")


@method("days360", on=DATE_RECEIVERS, args=(1, 1))
def days_360(rt, start, end):
    """Documented to behave exactly as daysBetween (https://zoho.com/creator/help/script/
    built-in-functions/built-in-function-date-days360.html), not as the spreadsheet
    30/360 count; we follow the documentation.

    >>> days360('31-Dec-1989', '01-Jan-1990')
    1
    """
    return _day_span(rt, start, end, "days360")


@method("monthsBetween", on=DATE_RECEIVERS, args=(1, 1))
def months_between(rt, start, end):
    """Months counted as 30 days each: 01-Feb-2020 to 01-Mar-2020 is 0 (monthsbetween.html).

    >>> monthsBetween('01-Feb-2020', '01-Mar-2020')
    0
    >>> '01-Jan-2019'.monthsBetween('01-Apr-2019')
    3
    """
    return _truncate(_day_span(rt, start, end, "monthsBetween"), 30)


@method("yearsBetween", on=DATE_RECEIVERS, args=(1, 1))
def years_between(rt, start, end):
    """Years counted as 365 days each: 02-Jan-2020 to 01-Jan-2021 is 1 (yearsdiff.html).

    >>> yearsBetween('02-Jan-2020', '01-Jan-2021')
    1
    """
    return _truncate(_day_span(rt, start, end, "yearsBetween"), 365)


def _calendar_months(a: _dt.datetime, b: _dt.datetime) -> int:
    months = (b.year - a.year) * 12 + b.month - a.month
    if months > 0 and b.day < a.day:
        months -= 1
    elif months < 0 and b.day > a.day:
        months += 1
    return months


@method("monthsDiff", "totalMonths", "totalMonth", on=DATE_RECEIVERS, args=(1, 1))
def months_diff(rt, start, end):
    """Whole calendar months: 01-Feb-2020 to 01-Mar-2020 is 1 (monthsdiff.html).

    `totalMonths` is documented with the same rule and example (totalmonth.html: "the
    totalMonths function considers a month depending on the number of days in it"), so it
    is the same function; the reference's spelling `totalMonth` is accepted too [inf].

    >>> monthsDiff('01-Feb-2020', '01-Mar-2020')
    1
    >>> '01-Feb-2019'.totalMonths('01-Mar-2019')
    1
    """
    return _calendar_months(*_two_dates(rt, start, end, "monthsDiff"))


@method("yearsDiff", "totalYears", "totalYear", on=DATE_RECEIVERS, args=(1, 1))
def years_diff(rt, start, end):
    """Whole calendar years: 02-Jan-2020 to 01-Jan-2021 is 0 (yearsdiff.html).

    `totalYears` is documented with the same rule and example (totalyear.html: leap
    years are taken into account), so it is the same function; `totalYear` (the
    reference's spelling) is accepted too [inf].

    >>> yearsDiff('02-Jan-2020', '01-Jan-2021')
    0
    >>> totalYears('02-Jan-2020', '02-Jan-2021')
    1
    """
    return _truncate(_calendar_months(*_two_dates(rt, start, end, "yearsDiff")), 12)


@method("hoursBetween", on=DATE_RECEIVERS, args=(1, 1))
def hours_between(rt, start, end):
    """Hours from `start` to `end`, ignoring minutes and seconds ("This function does not
    calculate the minutes and seconds difference", hoursbetween.html); negative if `end`
    is earlier. Counted in real time in the run's zone.

    >>> hoursBetween('18-Dec-2019 09:00:00', '19-Dec-2019 10:00:00')
    25
    >>> hoursBetween('18-Dec-2019 07:50:00', '18-Dec-2019 08:10:00')
    1
    """
    a, b = _two_dates(rt, start, end, "hoursBetween")
    a = a.replace(minute=0, second=0, microsecond=0)
    b = b.replace(minute=0, second=0, microsecond=0)
    return _truncate(to_epoch_millis(rt, b) - to_epoch_millis(rt, a), 3_600_000)


# ---------------------------------------------------------------------------
# Business days. `weekends` is a list of day names (default Saturday and Sunday);
# `holidays` a list of dates (workday.html, addbusinessday.html, work-days-between.html).

def _items(value, op: str, what: str) -> list:
    if value is None:
        return []
    t = type(value)
    if t is list or t is TypedList:
        return value
    if t is Collection:
        return value.as_list()
    raise ScriptError(f"{op}: the {what} must be a list, not {type_name(value)}")


def _calendar(rt, weekends, holidays, op: str) -> tuple[frozenset, frozenset]:
    if weekends is None:
        off = frozenset((5, 6))
    else:
        names = _items(weekends, op, "weekends")
        days = [weekday_number(n) for n in names]
        if None in days:
            bad = names[days.index(None)]
            raise ScriptError(f"{op}: {bad!r} is not a day of the week (use e.g. \"Saturday\")")
        off = frozenset(days)
    if len(off) == 7:
        raise ScriptError(f"{op}: every day of the week is a weekend, so there are no work days")
    rest = frozenset(moment(rt, h, op).date() for h in _items(holidays, op, "holidays"))
    return off, rest


def _is_workday(day: _dt.date, off: frozenset, holidays: frozenset) -> bool:
    return day.weekday() not in off and day not in holidays


def step_workdays(day: _dt.date, n: int, off: frozenset, holidays: frozenset, op: str) -> _dt.date:
    """The date n work days after (n < 0: before) `day`, skipping weekends and holidays.
    Whole weeks are jumped at once, so a huge n costs no more than a small one."""
    sign = 1 if n >= 0 else -1
    left = abs(n)
    per_week = 7 - len(off)
    try:
        while left > 0:
            if left > per_week + len(holidays):
                weeks = (left - 1) // per_week
                target = day + _dt.timedelta(days=sign * 7 * weeks)
                low, high = (day, target) if sign > 0 else (target, day)
                skipped = sum(1 for h in holidays if low < h <= high and h.weekday() not in off) \
                    if sign > 0 else \
                    sum(1 for h in holidays if low <= h < high and h.weekday() not in off)
                left -= weeks * per_week - skipped
                day = target
                continue
            day += _dt.timedelta(days=sign)
            if _is_workday(day, off, holidays):
                left -= 1
    except (OverflowError, ValueError):
        raise out_of_range(op) from None
    return day


def _business_shift(rt, value, n, weekends, holidays, op: str, sign: int):
    n = sign * count_arg(n, op, "number of business days")
    start = moment(rt, value, op)
    off, rest = _calendar(rt, weekends, holidays, op)
    day = step_workdays(start.date(), n, off, rest, op)
    return _dt.datetime.combine(day, start.time())


@method("addBusinessDay", on=DATE_RECEIVERS, args=(1, 3))
def add_business_day(rt, value, n, weekends=None, holidays=None):
    """n business days later, keeping the time; by default Monday to Friday are business
    days; optional `weekends` (day names) and `holidays` (dates) lists (addbusinessday.html).
    A negative n goes back.

    >>> '15-Mar-2019 10:00:00'.addBusinessDay(1)
    "18-Mar-2019 10:00:00"
    """
    return _business_shift(rt, value, n, weekends, holidays, "addBusinessDay", 1)


@method("subBusinessDay", on=DATE_RECEIVERS, args=(1, 3))
def sub_business_day(rt, value, n, weekends=None, holidays=None):
    """n business days earlier, keeping the time [inf: as addBusinessDay].

    >>> '18-Mar-2019'.subBusinessDay(1)
    "15-Mar-2019 00:00:00"
    """
    return _business_shift(rt, value, n, weekends, holidays, "subBusinessDay", -1)


@method("workday", on=DATE_RECEIVERS, args=(1, 3))
def workday(rt, value, n, weekends=None, holidays=None):
    """The DATE n work days later, skipping `weekends` (default Saturday and Sunday) and
    `holidays`; a negative n returns the date unchanged (workday.html:
    '23-May-2020'.workday(5, {"Sunday"}, {'25-May-2020'}) is '30-May-2020').

    >>> '15-Mar-2019'.workday(1)
    "18-Mar-2019"
    >>> '23-May-2020'.workday(5, {"Sunday"}, {'25-May-2020'})
    "30-May-2020"
    """
    count = count_arg(n, "workday", "number of business days")
    start = moment(rt, value, "workday").date()
    off, rest = _calendar(rt, weekends, holidays, "workday")
    if count < 0:
        return start
    return step_workdays(start, count, off, rest, "workday")


@method("workDaysBetween", on=DATE_RECEIVERS, args=(1, 3))
def work_days_between(rt, start, end, weekends=None, holidays=None):
    """Work days after `start` up to and including `end` (the start date is not counted);
    negative when `end` is earlier (work-days-between.html).

    >>> '1-Jan-2020'.workDaysBetween('6-Jan-2020')
    3
    """
    a, b = _two_dates(rt, start, end, "workDaysBetween")
    off, rest = _calendar(rt, weekends, holidays, "workDaysBetween")
    a, b = a.date(), b.date()
    if b < a:
        return -_count_workdays(a, b, off, rest, reverse=True)
    return _count_workdays(a, b, off, rest)


def _count_workdays(start: _dt.date, end: _dt.date, off: frozenset, holidays: frozenset,
                    reverse: bool = False) -> int:
    """Work days d with start < d <= end (reverse: end <= d < start), by whole weeks plus a
    remainder."""
    span = abs((end - start).days)
    weeks, extra = divmod(span, 7)
    count = weeks * (7 - len(off))
    step = -1 if reverse else 1
    first = start.weekday()
    count += sum(1 for i in range(1, extra + 1) if (first + step * i) % 7 not in off)
    if reverse:
        count -= sum(1 for h in holidays if end <= h < start and h.weekday() not in off)
    else:
        count -= sum(1 for h in holidays if start < h <= end and h.weekday() not in off)
    return count


# ---------------------------------------------------------------------------
# Month ends and week days

@method("eomonth", on=DATE_RECEIVERS, args=(1, 1))
def eomonth(rt, value, n):
    """The last DATE of the month n months away (eomonth.html).

    >>> '01-Jan-2019'.eomonth(1)
    "28-Feb-2019"
    """
    shifted = add_months(moment(rt, value, "eomonth").date(),
                         count_arg(n, "eomonth", "number of months"), "eomonth")
    return shifted.replace(day=month_length(shifted.year, shifted.month))


@method("edate", on=DATE_RECEIVERS, args=(1, 1))
def edate(rt, value, n):
    """The DATE n months away, without the time (edate.html).

    >>> '01-Jan-2019 15:00:00'.edate(13)
    "01-Feb-2020"
    """
    return add_months(moment(rt, value, "edate").date(),
                      count_arg(n, "edate", "number of months"), "edate")


def _weekday_arg(day_name, op: str) -> int:
    number = weekday_number(day_name)
    if number is None:
        raise ScriptError(f"{op}: {day_name!r} is not a day of the week; use one of "
                          + ", ".join(DAYS))
    return number


@method("nextWeekDay", on=DATE_RECEIVERS, args=(1, 1))
def next_week_day(rt, value, day_name):
    """The next DATE after this one that falls on `day_name` (never the same date:
    '20-Jul-2021', a Tuesday, gives 27-Jul-2021 for "Tuesday"; nextweekday.html).

    >>> '20-Jul-2021'.nextWeekDay("Tuesday")
    "27-Jul-2021"
    >>> '20-Jul-2021'.nextWeekDay("Monday")
    "26-Jul-2021"
    """
    target = _weekday_arg(day_name, "nextWeekDay")
    day = moment(rt, value, "nextWeekDay").date()
    return add_days(day, (target - day.weekday() - 1) % 7 + 1, "nextWeekDay")


@method("previousWeekDay", on=DATE_RECEIVERS, args=(1, 1))
def previous_week_day(rt, value, day_name):
    """The last DATE before this one that falls on `day_name` (previousWeekDay.html:
    '21-Jul-2021', a Wednesday, gives 14-Jul-2021 for "Wednesday").

    >>> '21-Jul-2021'.previousWeekDay("Wednesday")
    "14-Jul-2021"
    >>> '21-Jul-2021'.previousWeekDay("Monday")
    "19-Jul-2021"
    """
    target = _weekday_arg(day_name, "previousWeekDay")
    day = moment(rt, value, "previousWeekDay").date()
    return add_days(day, -((day.weekday() - target - 1) % 7 + 1), "previousWeekDay")

