"""What a host lends a run: clock, randomness, time zone, HTTP, records, connectors, mail.

The engine does no I/O of its own (DESIGN.md, sandbox invariant 5). A task whose
service is missing fails with a clear "not configured" error.
"""

from __future__ import annotations

import datetime as _dt
import random
from dataclasses import dataclass, field
from typing import Any, Callable
from zoneinfo import ZoneInfo

# Deluge's default zone: epoch 0 is '31-Dec-1969 16:00:00' (deluge-reference.md §7.8).
DEFAULT_TIMEZONE = "America/Los_Angeles"


def system_clock() -> _dt.datetime:
    return _dt.datetime.now(_dt.timezone.utc)


@dataclass(frozen=True)
class Services:
    """Host services for one or many runs. Every field is optional.

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

    clock: Callable[[], _dt.datetime] = system_clock
    timezone: str = DEFAULT_TIMEZONE
    random_seed: int | None = None
    http: Any = None
    records: Any = None
    connectors: Any = None
    mail: Any = None
    user: str = "user@example.com"
    admin: str = "admin@example.com"
    tasks: dict = field(default_factory=dict)

    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def make_random(self) -> random.Random:
        return random.Random(self.random_seed)


NO_SERVICES = Services()
