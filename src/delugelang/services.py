"""What a host lends a run: clock, randomness, time zone, HTTP, records, connectors, mail.

The engine does no I/O of its own (DESIGN.md, sandbox invariant 5). A task whose
service is missing fails with a clear "not configured" error.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable

from .frozen import Frozen, _set

# Deluge's default zone: epoch 0 is '31-Dec-1969 16:00:00' (deluge-reference.md §7.8).
DEFAULT_TIMEZONE = "America/Los_Angeles"


def system_clock() -> _dt.datetime:
    return _dt.datetime.now(_dt.timezone.utc)


class Services(Frozen):
    """Host services for one or many runs. Every field is optional. Immutable;
    `replace(**changes)` makes variants.

    clock: returns the current instant as an aware datetime (tests freeze it).
    timezone: the zone `zoho.currenttime` and date parsing use.
    random_seed: seeds `randomNumber` per run, so tests are deterministic; None = system entropy.
    http: an object with `request(method, url, **kw)` (delugelang.net.HttpClient).
    records: the record store behind `zoho.crm.*` tasks.
    connectors: the connector service behind `zoho.crm.invokeConnector`.
    mail: a callable that sends one mail map (sendmail).
    user: what `zoho.loginuser` / `zoho.adminuser` return.
    tasks: extra task handlers by lower-case dotted name (`zoho.crm.getrecordbyid`),
        used by fixtures; each is called as handler(run, args_tuple).
    """

    __slots__ = _fields = ("clock", "timezone", "random_seed", "http", "records", "connectors",
                           "mail", "user", "admin", "tasks")

    def __init__(self, clock: Callable[[], _dt.datetime] = system_clock,
                 timezone: str = DEFAULT_TIMEZONE, random_seed: int | None = None,
                 http: object = None, records: object = None, connectors: object = None,
                 mail: object = None, user: str = "user@example.com",
                 admin: str = "admin@example.com", tasks: dict | None = None):
        _set(self, "clock", clock)
        _set(self, "timezone", timezone)
        _set(self, "random_seed", random_seed)
        _set(self, "http", http)
        _set(self, "records", records)
        _set(self, "connectors", connectors)
        _set(self, "mail", mail)
        _set(self, "user", user)
        _set(self, "admin", admin)
        _set(self, "tasks", {} if tasks is None else tasks)

    def zone(self):
        """The run's time zone as a `zoneinfo.ZoneInfo` (imported on first use: it reads
        the system's time zone paths, a few ms that a run without dates never needs)."""
        from zoneinfo import ZoneInfo
        return ZoneInfo(self.timezone)

    def make_random(self):
        """A `random.Random` seeded with `random_seed` (imported on first use)."""
        import random
        return random.Random(self.random_seed)


NO_SERVICES = Services()
