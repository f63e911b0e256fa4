"""Deluge's date and date-time literal formats (`'15-Aug-1947'`, `'15-Aug-1947 19:00:00'`)."""

from __future__ import annotations

import datetime as _dt
import functools

# deluge-reference.md §7.8, in Java SimpleDateFormat letters, translated to strptime.
_DATE_PATTERNS = [
    "dd-MMM-yyyy", "dd-MMMM-yyyy", "dd-MMM-yy", "dd-MMMM-yy",
    "yyyy-MM-dd", "MM-dd-yyyy", "dd-MM-yyyy", "MM-dd-yy", "yy-MM-dd", "dd-MM-yy",
    "yyyy/MM/dd", "MM/dd/yyyy", "dd/MM/yyyy", "yy/MM/dd", "MM/dd/yy", "dd/MM/yy",
    "dd MMM,yyyy", "MMM dd,yyyy", "dd MMM,yy", "MMM dd,yy",
    "dd MMMM,yyyy", "MMMM dd,yyyy", "dd MMMM,yy", "MMMM dd,yy",
    "E,MMMM dd,yyyy", "E,MMM dd,yyyy",
    "MMM dd yyyy", "dd MMM yyyy", "MMM dd yy", "dd MMM yy",
    "MMMM dd yyyy", "dd MMMM yyyy", "MMMM dd yy", "dd MMMM yy",
    "dd.MM.yyyy", "MM.dd.yyyy", "yyyy.MM.dd", "dd.MM.yy", "MM.dd.yy", "yy.MM.dd", "dd MM yyyy",
]

_TIME_PATTERNS = ["HH:mm:ss", "hh:mm:ss a", "HH:mm", "hh:mm a"]

_JAVA_TO_STRPTIME = [
    ("yyyy", "%Y"), ("yy", "%y"), ("MMMM", "%B"), ("MMM", "%b"), ("MM", "%m"),
    ("dd", "%d"), ("HH", "%H"), ("hh", "%I"), ("mm", "%M"), ("ss", "%S"), ("a", "%p"), ("E", "%a"),
]


def _to_strptime(pattern: str) -> str:
    out = []
    i = 0
    while i < len(pattern):
        for java, py in _JAVA_TO_STRPTIME:
            if pattern.startswith(java, i):
                out.append(py)
                i += len(java)
                break
        else:
            out.append(pattern[i])
            i += 1
    return "".join(out)


@functools.lru_cache(maxsize=1)
def _formats():
    dates = [_to_strptime(p) for p in _DATE_PATTERNS]
    times = [_to_strptime(p) for p in _TIME_PATTERNS]
    with_time = [f"{d} {t}" for d in dates for t in times]
    return dates, with_time, times


def parse_literal(text: str):
    """A date (datetime.date), a date-time (datetime.datetime), a time, or None if `text`
    is not one of Deluge's literal formats (then the literal is TEXT: reference §2)."""
    s = " ".join(text.split())
    if not s or len(s) > 40 or not any(c.isdigit() for c in s):
        return None
    dates, with_time, times = _formats()
    has_time = ":" in s
    for fmt in (with_time if has_time else dates):
        try:
            value = _dt.datetime.strptime(s, fmt)
        except ValueError:
            continue
        return value if has_time else value.date()
    if has_time:
        for fmt in times:
            try:
                return _dt.datetime.strptime(s, fmt).time()
            except ValueError:
                continue
    return None
