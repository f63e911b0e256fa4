"""Date and date-time builtins (deluge-reference.md §7.3, §7.8).

Literals, arithmetic, parts, spans, business days, patterns, zones and epoch milliseconds.
"""

from __future__ import annotations

import datetime as dt

import pytest

import delugelang
from delugelang.dateformats import DateProblem, needs_run_date, parse_literal, parse_text
from delugelang.errors import DelugeError, ScriptError

# 2026-03-08 09:30 UTC is 01:30 PST, half an hour before the spring-forward gap.
FROZEN = dt.datetime(2026, 3, 8, 9, 30, 0, tzinfo=dt.timezone.utc)


def services(zone: str = "America/Los_Angeles"):
    return delugelang.Services(clock=lambda: FROZEN, timezone=zone)


def run(code: str, zone: str = "America/Los_Angeles"):
    return delugelang.compile(code).run(services=services(zone))


def value(expr: str, zone: str = "America/Los_Angeles"):
    return run(f"return {expr};", zone).plain_value()


def error(expr: str) -> DelugeError:
    with pytest.raises(DelugeError) as info:
        run(f"return {expr};")
    assert isinstance(info.value, ScriptError), info.value
    return info.value


# ---------------------------------------------------------------- literals

@pytest.mark.parametrize("text, expected", [
    ("15-Aug-1947", dt.date(1947, 8, 15)),
    ("1-Jan-2019", dt.date(2019, 1, 1)),
    ("15-August-1947", dt.date(1947, 8, 15)),
    ("15-aug-1947", dt.date(1947, 8, 15)),
    ("1947-08-15", dt.date(1947, 8, 15)),
    ("1947/08/15", dt.date(1947, 8, 15)),
    ("08/15/1947", dt.date(1947, 8, 15)),
    ("15/08/1947", dt.date(1947, 8, 15)),  # not a month first: read day first
    ("15.08.1947", dt.date(1947, 8, 15)),
    ("15 08 1947", dt.date(1947, 8, 15)),
    ("15 Aug,1947", dt.date(1947, 8, 15)),
    ("Aug 15,1947", dt.date(1947, 8, 15)),
    ("Aug 15, 1947", dt.date(1947, 8, 15)),
    ("August 15 1947", dt.date(1947, 8, 15)),
    ("15 August 1947", dt.date(1947, 8, 15)),
    ("Fri,August 15,1947", dt.date(1947, 8, 15)),
    ("15-Aug-1947 19:05:07", dt.datetime(1947, 8, 15, 19, 5, 7)),
    ("15-Aug-1947 07:05:07 PM", dt.datetime(1947, 8, 15, 19, 5, 7)),
    ("15-Aug-1947 12:00:00 AM", dt.datetime(1947, 8, 15, 0, 0, 0)),
    ("19:05:07", dt.time(19, 5, 7)),
])
def test_literal_formats(text, expected):
    assert parse_literal(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("01-Jan-2019 24:10:10", dt.datetime(2019, 1, 1)),       # hour >= 24: 00:00:00
    ("01-Jan-2019 99:10:10", dt.datetime(2019, 1, 1)),
    ("01-Jan-2019 10:60:10", dt.datetime(2019, 1, 1, 10)),   # minutes >= 60: mm:ss 00:00
    ("01-Jan-2019 10:10:60", dt.datetime(2019, 1, 1, 10, 10)),  # seconds >= 60: ss 00
])
def test_literal_time_resets(text, expected):
    assert parse_literal(text) == expected


@pytest.mark.parametrize("text, recognised", [
    ("32-Jan-2019", True), ("29-Feb-2019", True), ("01-Xyz-2019", True), ("13/13/2019", True),
    ("01-Ja-2019", False), ("001-Jan-2019", False), ("01-Jan-20199", False),
    ("01-Jan-2019 100:00:00", False), ("hello", False), ("", False),
])
def test_invalid_literals_stay_text(text, recognised):
    assert parse_literal(text) is None
    with pytest.raises(DateProblem) as info:
        parse_text(text, dt.date(2026, 3, 8))
    assert info.value.recognised is recognised


def test_two_digit_years_follow_java():
    # Within 80 years before and 20 after today (8 March 2026: from 8 March 1946).
    today = dt.date(2026, 3, 8)
    assert parse_text("01-Jan-19", today) == dt.date(2019, 1, 1)
    assert parse_text("01-Jan-45", today) == dt.date(2045, 1, 1)
    assert parse_text("01-Jan-46", today) == dt.date(2046, 1, 1)
    assert parse_text("09-Mar-46", today) == dt.date(1946, 3, 9)
    assert parse_text("01-Jan-47", today) == dt.date(1947, 1, 1)
    assert parse_text("01-Jan-9", today) == dt.date(9, 1, 1)  # not two digits: literal
    assert value("toDate(\"01/01/46\", \"dd/MM/yy\")") == "01-Jan-2046"
    assert value("toDate(\"09/03/46\", \"dd/MM/yy\")") == "09-Mar-1946"
    assert value("toDate(\"09/03/1946\", \"dd/MM/yy\")") == "09-Mar-1946"


def test_two_digit_year_literals_follow_the_runs_clock():
    # One compiled program, two frozen clocks: 8 March 2026 puts '09-Mar-46' in 1946, and
    # 10 March 2026 (window from 10 March 1946) puts it in 2046. The system date plays no part.
    program = delugelang.compile("d = '09-Mar-46'; t = '09-Mar-46 10:15:00';\n"
                                 "return {\"d\": d.getYear(), \"t\": t.toString(\"yyyy HH:mm\")};")

    def at(day: int):
        when = dt.datetime(2026, 3, day, 12, 0, tzinfo=dt.timezone.utc)
        return program.run(services=delugelang.Services(clock=lambda: when,
                                                        timezone="UTC")).plain_value()

    assert at(8) == {"d": 1946, "t": "1946 10:15"}
    assert at(10) == {"d": 2046, "t": "2046 10:15"}
    assert at(8) == {"d": 1946, "t": "1946 10:15"}


def test_a_two_digit_year_literal_can_be_a_date_on_one_day_and_text_on_another():
    # 29 February of '00': 2000 is a leap year, 2100 (the reading from 2081 on) is not, so
    # there the literal stays TEXT (reference §2).
    program = delugelang.compile("return '29-Feb-00' + \"\";")
    for year, expected in ((2026, "29-Feb-2000"), (2081, "29-Feb-00")):
        when = dt.datetime(year, 1, 1, tzinfo=dt.timezone.utc)
        assert program.run(services=delugelang.Services(clock=lambda: when, timezone="UTC")
                           ).plain_value() == expected


@pytest.mark.parametrize("text, needed", [
    ("09-Mar-46", True), ("01/02/03", True), ("09-Mar-46 10:15:00", True), ("29-Feb-00", True),
    ("09-Mar-1946", False), ("2026-03-08", False), ("10:30", False), ("hello", False),
    ("31-Feb-2026", False),
])
def test_only_two_digit_year_literals_wait_for_the_run(text, needed):
    assert needs_run_date(text) is needed


def test_literal_types():
    assert run("d = '01-Jan-2019'; info d; t = '01-Jan-2019 10:00:00'; info t;").info == \
        ("01-Jan-2019", "01-Jan-2019 10:00:00")
    assert value("'01-Jan-2019' < '02-Jan-2019'") is True
    assert value("'01-Jan-2019 10:00:00' > '01-Jan-2019'") is True


# ---------------------------------------------------------------- add / sub

@pytest.mark.parametrize("expr, expected", [
    ("'01-Jan-2019'.addDay(11)", "12-Jan-2019 00:00:00"),
    ("'01-Jan-2019 15:00:00'.addDay(40)", "10-Feb-2019 15:00:00"),
    ("'01-Jan-2019'.addDay(-1)", "31-Dec-2018 00:00:00"),
    ("'01-Jan-2019'.subDay(1)", "31-Dec-2018 00:00:00"),
    ("'01-Jan-2019'.subDay(-1)", "02-Jan-2019 00:00:00"),
    ("'01-Jan-2019'.addWeek(1)", "08-Jan-2019 00:00:00"),
    ("'01-Jan-2019 15:00:00'.addMonth(13)", "01-Feb-2020 15:00:00"),
    ("'31-Jan-2020'.addMonth(1)", "29-Feb-2020 00:00:00"),
    ("'31-Mar-2019'.subMonth(1)", "28-Feb-2019 00:00:00"),
    ("'01-Jan-2019 15:00:00'.addYear(10)", "01-Jan-2029 15:00:00"),
    ("'29-Feb-2020'.addYear(1)", "28-Feb-2021 00:00:00"),
    ("'01-Jan-2019'.addHour(25)", "02-Jan-2019 01:00:00"),
    ("'01-Jan-2019'.addMinutes(-1)", "31-Dec-2018 23:59:00"),
    ("'01-Jan-2019'.addSeconds(61)", "01-Jan-2019 00:01:01"),
    ("'01-Jan-2019 25:00:00'.addDay(1)", "02-Jan-2019 00:00:00"),  # hour reset first
    ("addDay('01-Jan-2019', 2)", "03-Jan-2019 00:00:00"),
    ("\"01-Jan-2019\".addDay(1)", "02-Jan-2019 00:00:00"),  # TEXT in a date format
    ("'01-Jan-2019'.addDay(1.9)", "02-Jan-2019 00:00:00"),  # a DECIMAL count truncates
])
def test_add_and_sub(expr, expected):
    assert value(expr) == expected


def test_hours_are_elapsed_time_across_daylight_saving():
    # 2026-03-08 02:00 PST does not exist in Los Angeles: one hour after 01:30 is 03:30.
    assert value("'08-Mar-2026 01:30:00'.addHour(1)") == "08-Mar-2026 03:30:00"
    assert value("'08-Mar-2026 01:30:00'.addDay(1)") == "09-Mar-2026 01:30:00"
    assert value("hoursBetween('08-Mar-2026 00:00:00', '08-Mar-2026 04:00:00')") == 3


@pytest.mark.parametrize("expr", [
    "'32-Jan-2019'.addDay(1)", "'01-Ja-2019'.addDay(1)", "'001-Jan-2019'.addMonth(1)",
    "'01-Jan-2019 100:00:00'.addYear(1)", "'01-Jan-20199'.addHour(1)", "'hello'.addDay(1)",
    "'01-Jan-2019'.addDay(\"x\")", "'31-Dec-9999'.addDay(1)", "'01-Jan-0001'.subDay(1)",
    "'01-Jan-2019'.addYear(9223372036854775807)", "'01-Jan-2019'.addSeconds(-9223372036854775807)",
    "'01-Jan-2019'.addDay(null)",
])
def test_add_errors(expr):
    error(expr)


def test_out_of_range_is_a_deluge_error():
    assert "date out of range" in str(error("'31-Dec-9999'.addDay(1)"))


# ---------------------------------------------------------------- parts

@pytest.mark.parametrize("expr, expected", [
    ("'08-Jan-2019'.getDay()", 8), ("'08-Jan-2019'.day()", 8), ("getDay('08-Jan-2019')", 8),
    ("'14-Dec-2023'.month()", 12), ("'01-Jan-2019'.getYear()", 2019),
    ("'08-Jan-2019 19:05:07'.getHour()", 19), ("'08-Jan-2019'.getHour()", 0),
    ("'08-Jan-2019 19:05:07'.getMinutes()", 5), ("'08-Jan-2019 19:05:07'.getSeconds()", 7),
    ("'08-Jan-2019 19:05:07'.minute()", 5), ("'08-Jan-2019 19:05:07'.second()", 7),
    ("\"19:05:07\".getHour()", 19), ("'07:05:00 PM'.hour()", 19),
    ("'19:05:07'.addHour(6).getHour()", 1),
    ("'15-Mar-2019'.getDayOfWeek()", 6), ("'17-Mar-2019'.weekday()", 1),
    ("'31-Dec-2020'.getDayOfYear()", 366),
    ("'7-Feb-2021'.getWeekOfYear()", 7), ("'7-Feb-2021'.getWeekOfYear(\"Monday\")", 6),
    ("'31-Dec-2019'.getWeekOfYear()", 1), ("'01-Jan-2021'.getWeekOfYear()", 1),
    ("'15-Mar-2019 15:00:00'.toStartOfMonth()", "01-Mar-2019 00:00:00"),
    ("'15-Mar-2019 15:00:00'.toStartOfWeek()", "10-Mar-2019 00:00:00"),
    ("'10-Mar-2019'.toStartOfWeek()", "10-Mar-2019 00:00:00"),
])
def test_parts(expr, expected):
    assert value(expr) == expected


@pytest.mark.parametrize("expr", [
    "'01-Ja-2019'.getDay()", "'001-Jan-2019'.getYear()", "'01-Jan-2019 100:00:00'.getMonth()",
    "'01-Jan-20199'.getDayOfWeek()", "'001-Jan-2019'.toStartOfWeek()",
    "'01-Ja-2019'.getWeekOfYear()",
])
def test_parts_of_text_that_is_no_date_are_null(expr):
    assert value(f"isNull({expr})") is True


@pytest.mark.parametrize("expr", [
    "'32-Jan-2019'.getDay()", "'01-Xyz-2019'.getYear()", "'31-Apr-2019'.weekday()",
    "'01-Jan-2019'.getWeekOfYear(\"Someday\")",
])
def test_parts_of_bad_dates_are_errors(expr):
    error(expr)


# ---------------------------------------------------------------- spans

@pytest.mark.parametrize("expr, expected", [
    ("daysBetween('1-Jan-2019', '31-Dec-2019')", 364),
    ("daysBetween('1-Jan-2020', '31-Dec-2020')", 365),
    ("'1-Jan-2019'.daysBetween('11-Jan-2019')", 10),
    ("'11-Jan-2019'.daysBetween('1-Jan-2019')", -10),
    ("daysBetween('01-Jan-2019 23:00:00', '02-Jan-2019 01:00:00')", 1),
    ("days360('31-Dec-1989', '01-Jan-1990')", 1),
    ("monthsBetween('01-Feb-2020', '01-Mar-2020')", 0),
    ("monthsBetween('01-Apr-2020', '01-Feb-2020')", -2),
    ("yearsBetween('02-Jan-2020', '01-Jan-2021')", 1),
    ("monthsDiff('01-Feb-2020', '01-Mar-2020')", 1),
    ("monthsDiff('31-Jan-2020', '29-Feb-2020')", 0),
    ("yearsDiff('02-Jan-2020', '01-Jan-2021')", 0),
    ("hoursBetween('18-Dec-2019 09:00:00', '19-Dec-2019 10:00:00')", 25),
    ("hoursBetween('19-Dec-2019 10:00:00', '18-Dec-2019 09:00:00')", -25),
    ("daysBetween('01-Jan-0001', '31-Dec-9999')", 3652058),
])
def test_spans(expr, expected):
    assert value(expr) == expected


# ---------------------------------------------------------------- business days

@pytest.mark.parametrize("expr, expected", [
    ("'15-Mar-2019'.workday(1)", "18-Mar-2019"),
    ("'23-May-2020'.workday(5, {\"Sunday\"}, {'25-May-2020'})", "30-May-2020"),
    ("'15-Mar-2019'.workday(-3)", "15-Mar-2019"),
    ("'15-Mar-2019 10:00:00'.addBusinessDay(1)", "18-Mar-2019 10:00:00"),
    ("'15-Mar-2019'.addBusinessDay(5)", "22-Mar-2019 00:00:00"),
    ("'18-Mar-2019'.subBusinessDay(1)", "15-Mar-2019 00:00:00"),
    ("'15-Mar-2019'.addBusinessDay(1, {\"Saturday\", \"Sunday\"}, {'18-Mar-2019'})",
     "19-Mar-2019 00:00:00"),
    ("'01-Jan-2019'.addBusinessDay(2600)", "19-Dec-2028 00:00:00"),
    ("'1-Jan-2020'.workDaysBetween('6-Jan-2020')", 3),
    ("'6-Jan-2020'.workDaysBetween('1-Jan-2020')", -3),
    ("'1-Jan-2020'.workDaysBetween('31-Dec-2020')", 261),
    ("'1-Jan-2020'.workDaysBetween('31-Dec-2020', {\"Sunday\"})", 313),
    ("'1-Jan-2020'.workDaysBetween('6-Jan-2020', {\"Saturday\", \"Sunday\"}, {'2-Jan-2020'})", 2),
])
def test_business_days(expr, expected):
    assert value(expr) == expected


def test_business_day_jumps_match_day_by_day_counting():
    start = dt.date(2019, 1, 1)
    days, day = 0, start
    while days < 700:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day != dt.date(2020, 12, 25):
            days += 1
    got = value("'01-Jan-2019'.addBusinessDay(700, {\"Saturday\", \"Sunday\"}, {'25-Dec-2020'})")
    assert got == day.strftime("%d-%b-%Y 00:00:00")


@pytest.mark.parametrize("expr", [
    "'01-Jan-2019'.workday(1, {\"Funday\"})",
    "'01-Jan-2019'.workday(1, {\"Mon\", \"Tue\", \"Wed\", \"Thu\", \"Fri\", \"Sat\", \"Sun\"})",
    "'01-Jan-2019'.workday(1, \"Sunday\")",
    "'01-Jan-2019'.addBusinessDay(9223372036854775807)",
])
def test_business_day_errors(expr):
    error(expr)


@pytest.mark.parametrize("expr, expected", [
    ("'01-Jan-2019'.eomonth(1)", "28-Feb-2019"),
    ("'31-Jan-2019'.eomonth(0)", "31-Jan-2019"),
    ("'15-Mar-2020'.eomonth(-1)", "29-Feb-2020"),
    ("'01-Jan-2019'.edate(11)", "01-Dec-2019"),
    ("'01-Jan-2019 15:00:00'.edate(13)", "01-Feb-2020"),
    ("'20-Jul-2021'.nextWeekDay(\"Tuesday\")", "27-Jul-2021"),
    ("'20-Jul-2021'.nextWeekDay(\"monday\")", "26-Jul-2021"),
    ("'21-Jul-2021'.previousWeekDay(\"Wednesday\")", "14-Jul-2021"),
    ("'21-Jul-2021'.previousWeekDay(\"Monday\")", "19-Jul-2021"),
])
def test_month_ends_and_week_days(expr, expected):
    assert value(expr) == expected


# ---------------------------------------------------------------- toString patterns

@pytest.mark.parametrize("pattern, expected", [
    ("dd-MMM-yyyy HH:mm:ss", "01-Jan-2019 13:05:09"),
    ("yyyy-MM-dd", "2019-01-01"),
    ("E, EEEE, MMMM", "Tue, Tuesday, January"),
    ("dd 'of' MMMM", "01 of January"),
    ("'It''s' h:mm a", "It's 1:05 PM"),
    ("hh K k H", "01 1 13 13"),
    ("D F u w W", "1 1 2 1 1"),
    ("yy y yyyyy G", "19 2019 02019 AD"),
    ("z zzzz Z X XX XXX", "PST Pacific Standard Time -0800 -08 -0800 -08:00"),
    ("S SSS", "0 000"),
    ("", ""),
])
def test_to_string_patterns(pattern, expected):
    assert value(f"'01-Jan-2019 13:05:09'.toString(\"{pattern}\")") == expected


@pytest.mark.parametrize("pattern", ["dd of MMMM", "q", "'unterminated", "XXXX", "yyyy-MM-dd T"])
def test_to_string_bad_patterns_give_null(pattern):
    assert value(f"isNull('01-Jan-2019'.toString(\"{pattern}\"))") is True


@pytest.mark.parametrize("expr, expected", [
    ("'01-Jan-2019 10:00:00'.toString(\"dd-MM-yyyy HH:mm\", \"Asia/Kolkata\")", "01-01-2019 23:30"),
    ("'01-Jan-2019 10:00:00'.toString(\"HH:mm z\", \"UTC\")", "18:00 UTC"),
    ("'01-Jan-2019 10:00:00'.toString(\"HH:mm\", \"IST\")", "23:30"),
    ("'01-Jan-2019 10:00:00'.toString(\"HH:mm\", \"GMT+05:30\")", "23:30"),
    ("'01-Jan-2019 10:00:00'.toString(\"HH:mm\", \"Not/AZone\")", "18:00"),  # unknown: GMT
    ("'01-Jan-2019 10:00:00'.toString(\"HH:mm\", \"../../etc/passwd\")", "18:00"),
    ("'01-Jul-2019 10:00:00'.toString(\"HH:mm z\")", "10:00 PDT"),
    ("'01-Jan-2019 10:00:00'.toText(\"yyyy\")", "2019"),
    ("'01-Jan-2019'.toString()", "01-Jan-2019"),
    ("'01-Jan-2019 10:00:00'.toString()", "01-Jan-2019 10:00:00"),
    ("toString('01-Jan-2019', \"dd/MM/yy\")", "01/01/19"),
    ("0.toString(\"dd-MMM-yyyy HH:mm:ss\")", "31-Dec-1969 16:00:00"),
    ("0.toString(\"dd-MMM-yyyy HH:mm:ss\", \"UTC\")", "01-Jan-1970 00:00:00"),
    ("\"2019-01-01\".toString(\"dd MMMM yyyy\")", "01 January 2019"),
    ("\"plain\".toString()", "plain"),
    ("12.toString()", "12"),
    ("1000.toDateTimeString(\"yyyy-MM-dd HH:mm:ss\", \"UTC\")", "1970-01-01 00:00:01"),
])
def test_to_string_values(expr, expected):
    assert value(expr) == expected


@pytest.mark.parametrize("expr", [
    "\"not a date\".toString(\"yyyy\")", "'01-Jan-2019'.toString(5)",
    "'01-Jan-2019'.toString(\"yyyy\", 5)", "\"x\".toString(null, \"UTC\")",
])
def test_to_string_errors(expr):
    error(expr)


def test_to_string_budget_is_checked_before_formatting():
    with pytest.raises(DelugeError):
        delugelang.compile("p = \"y\".leftPad(200000).replaceAll(\" \", \"y\"); "
                           "return '01-Jan-2019'.toString(p);").run(
            limits=delugelang.Limits(text_length=100_000))


@pytest.mark.parametrize("expr, expected", [
    ("'17-Jan-2018 10:10:37'.getDateTime(12, true)", "17th January 2018,10:10:37 AM"),
    ("'17-Jan-2018 09:00:59'.getDateTime()", "17th January 2018,09:00 AM"),
    ("'01-Jan-2018 00:05:00'.getDateTime()", "1st January 2018,12:05 AM"),
    ("'02-Jan-2018 13:05:00'.getDateTime(24, true)", "2nd January 2018,13:05:00"),
    ("'13-Jan-2018 12:00:00'.getDateTime()", "13th January 2018,12:00 PM"),
    ("'23-Jan-2018'.getDateTime()", "23rd January 2018,12:00 AM"),
])
def test_get_date_time(expr, expected):
    assert value(expr) == expected


# ---------------------------------------------------------------- reading dates

@pytest.mark.parametrize("expr, expected", [
    ("toDate(\"16/08/2026\", \"dd/MM/yyyy\")", "16-Aug-2026"),
    ("toDate(\"08-16-2026\", \"MM-dd-yyyy\")", "16-Aug-2026"),
    ("toDate(\"16 Aug 2026\", \"dd MMM yyyy\")", "16-Aug-2026"),
    ("toDate(\"16 august 2026\", \"dd MMMM yyyy\")", "16-Aug-2026"),
    ("toDate(\"20260816\", \"yyyyMMdd\")", "16-Aug-2026"),
    ("toDate(\"16-08-2026 trailing\", \"dd-MM-yyyy\")", "16-Aug-2026"),
    ("toDate(\"2026-08-16\")", "16-Aug-2026"),
    ("toDate(1)", "31-Dec-1969"),
    ("toDate(86400000)", "01-Jan-1970"),
    ("'15-Aug-1947 19:00:00'.toDate()", "15-Aug-1947"),
    ("'15-Aug-1947 19:00:00'.toDate(\"ignored\")", "15-Aug-1947"),
    ("toDateTime(\"16 August 2026 10:00 PM\", \"dd MMMM yyyy hh:mm a\")", "16-Aug-2026 22:00:00"),
    ("toDateTime(\"2020-12-09T17:25:24-07:00\", \"yyyy-MM-dd'T'HH:mm:ssXXX\")",
     "09-Dec-2020 16:25:24"),
    ("toDateTime(\"2020-12-09T17:25:24Z\", \"yyyy-MM-dd'T'HH:mm:ssX\")", "09-Dec-2020 09:25:24"),
    ("toDateTime(\"2020-12-09T17:25:24-07:00\", \"yyyy-MM-dd'T'HH:mm:ss\")",
     "09-Dec-2020 17:25:24"),
    ("toDateTime('01-Jan-2019')", "01-Jan-2019 00:00:00"),
    ("toDateTime(1000)", "31-Dec-1969 16:00:01"),
    ("toTime(1000)", "31-Dec-1969 16:00:01"),
    ("\"Aug 21, 2013 16:04:37\".toTime()", "21-Aug-2013 16:04:37"),
    ("toTime(\"10:30:00\")", "10:30:00"),
])
def test_reading_dates(expr, expected):
    assert value(expr) == expected


@pytest.mark.parametrize("expr", [
    "toDate(\"16/13/2026\", \"dd/MM/yyyy\")", "toDate(\"32/12/2026\", \"dd/MM/yyyy\")",
    "toDate(\"29/02/2019\", \"dd/MM/yyyy\")", "toDate(\"16-08-2026\", \"dd/MM/yyyy\")",
    "toDate(\"hello\")", "toDate(\"\")", "toDate(\"16/08/2026\", \"qq\")",
    "toDate(\"16/08/2026\", 5)", "toDate(true)", "toDate(9223372036854775807)",
    "toDateTime(\"25:00\", \"HH:mm\")", "toDate(\"10:30:00\")",
    "toDateTime(\"2020-12-09T17:25:24+99:00\", \"yyyy-MM-dd'T'HH:mm:ssXXX\")",
])
def test_reading_errors(expr):
    error(expr)


# ---------------------------------------------------------------- epoch milliseconds

@pytest.mark.parametrize("expr, expected", [
    ("'31-Dec-1969 16:00:01'.toNumber()", 1000),
    ("'31-Dec-1969 15:59:59'.toNumber()", -1000),
    ("'01-Jan-1970'.toLong()", 28800000),
    ("\"31-Dec-1969 16:00:01\".unixEpoch()", 1000),
    ("\"01-Jan-1970 00:00:00\".unixEpoch(\"UTC\")", 0),
    ("\"01-Jan-1970 05:30:00\".unixEpoch(\"Asia/Kolkata\")", 0),
    ("\"01-Jan-1970 00:00:00\".unixEpoch(\"Not/AZone\")", 0),
    ("\"not a date\".unixEpoch()", "not a date"),
    ("toDate('31-Dec-1969 16:00:01'.toNumber())", "31-Dec-1969"),
])
def test_epoch_millis(expr, expected):
    assert value(expr) == expected


def test_epoch_follows_the_run_zone():
    assert value("'01-Jan-1970 05:30:00'.toNumber()", zone="Asia/Kolkata") == 0
    assert value("toDateTime(0)", zone="UTC") == "01-Jan-1970 00:00:00"


def test_unix_epoch_takes_only_text():
    error("'01-Jan-2019'.unixEpoch()")


# ---------------------------------------------------------------- the host clock

def test_current_date_and_time_come_from_the_frozen_clock():
    result = run("info zoho.currentdate; info zoho.currenttime; "
                 "return daysBetween(zoho.currentdate, '10-Mar-2026');")
    assert result.info == ("08-Mar-2026", "08-Mar-2026 01:30:00")
    assert result.plain_value() == 2
    assert run("info zoho.currenttime;", zone="Asia/Kolkata").info == ("08-Mar-2026 15:00:00",)


def test_function_forms_take_current_date():
    assert value("addDay(zoho.currentdate, 1)") == "09-Mar-2026 00:00:00"
    assert value("toString(zoho.currenttime, \"yyyy-MM-dd'T'HH:mm:ssXXX\")") == \
        "2026-03-08T01:30:00-08:00"


@pytest.mark.parametrize("expr, expected", [
    ('zoho.currentdate.addDay(1).toString("dd-MMM-yyyy")', "09-Mar-2026"),
    ('zoho.currenttime.toString("HH:mm")', "01:30"),
    ("zoho.currentdate.getYear()", 2026),
    ("zoho.currentDate.daysBetween('01-Apr-2026')", 24),
])
def test_methods_on_system_variables(expr, expected):
    # `zoho.currentdate` is a value: `.addDay(1)` on it is a method call, not a task name.
    assert value(expr) == expected


def test_an_unknown_zoho_name_is_still_an_unknown_task():
    with pytest.raises(DelugeError) as info:
        delugelang.compile("return zoho.nothing.addDay(1);")
    assert "unknown task 'zoho.nothing.addDay'" in info.value.message
