"""Integration tasks (`zoho.crm.*`, invokeurl, sendmail) and system variables (`zoho.*`).

Each integration task runs through a host service (DESIGN.md, sandbox invariant 5). When
the host configured none, the task fails with a clear "not configured" error. The
`zoho.encryption.*` tasks are pure computation (builtins/encoding_crypto.py) and need none. Fixtures
(`dg run --fixtures`) install handlers through `Services.tasks`.
"""

from __future__ import annotations

from collections.abc import Callable

from .builtins.encoding_crypto import DOCUMENTED_NAMES, ENCRYPTION_TASKS
from .errors import LimitError, ScriptError
from .frozen import Frozen, _set
from .values import Collection, from_plain, to_plain


class TaskSpec(Frozen):
    """One integration task's signature and who serves it. Immutable."""

    __slots__ = _fields = ("name", "min_args", "max_args", "service", "impl")
    name: str          # as documented: "zoho.crm.getRecordById"
    min_args: int
    max_args: int | None
    service: str       # which Services field serves it ("compute": none, see impl)
    impl: Callable | None  # a pure task's implementation, called as impl(rt, *args)

    def __init__(self, name: str, min_args: int, max_args: int | None, service: str,
                 impl: Callable | None = None):
        _set(self, "name", name)
        _set(self, "min_args", min_args)
        _set(self, "max_args", max_args)
        _set(self, "service", service)
        _set(self, "impl", impl)


TASKS: dict[str, TaskSpec] = {}


def _task(name: str, lo: int, hi: int | None, service: str) -> None:
    TASKS[name.lower()] = TaskSpec(name, lo, hi, service)


# Signatures from deluge-reference.md §9.3; v2 and v8 spellings share them.
for _prefix in ("zoho.crm.", "zoho.crm.v2.", "zoho.crm.v8."):
    _task(_prefix + "getRecordById", 2, 4, "records")
    _task(_prefix + "getRecords", 1, 5, "records")
    _task(_prefix + "searchRecords", 2, 6, "records")
    _task(_prefix + "createRecord", 2, 4, "records")
    _task(_prefix + "updateRecord", 3, 5, "records")
    _task(_prefix + "getRelatedRecords", 3, 6, "records")
    _task(_prefix + "upsert", 2, 4, "records")
    _task(_prefix + "deleteRecord", 2, 3, "records")
    _task(_prefix + "bulkCreate", 2, 4, "records")
    _task(_prefix + "bulkUpdate", 2, 4, "records")
_task("zoho.crm.invokeConnector", 2, 2, "connectors")
_task("zoho.crm.getOrgVariable", 1, 2, "records")

# zoho.encryption.* (reference §7.10) is pure computation: no host service is involved.
for _key, (_impl, _lo, _hi) in ENCRYPTION_TASKS.items():
    TASKS[_key] = TaskSpec(DOCUMENTED_NAMES[_key], _lo, _hi, "compute", _impl)


def lookup(dotted: str) -> TaskSpec | None:
    return TASKS.get(dotted.lower())


def run_task(rt, dotted: str, args: tuple):
    """Run `zoho.crm.x(args)` through the host: a fixture handler first, then the service."""
    spec = TASKS[dotted.lower()]
    if spec.impl is not None:
        return spec.impl(rt, *args)
    handler = rt.services.tasks.get(dotted.lower()) or rt.services.tasks.get(
        _base_name(dotted.lower()))
    if handler is not None:
        return from_plain(handler(rt, tuple(to_plain(a) for a in args)))
    service = getattr(rt.services, spec.service)
    if service is None:
        raise ScriptError(f"{spec.name}: no {_SERVICE_WORDS[spec.service]} is configured for this run "
                          f"(give the run a workspace, or stub it with --fixtures)")
    if spec.service == "connectors":
        return _invoke_connector(rt, service, args)
    call: Callable = service.task  # the record service runs every records task by name
    # Record data reaches the store in Zoho's formats (dates as yyyy-MM-dd).
    from .records.shapes import zoho_plain
    zone = rt.services.zone()
    return from_plain(call(spec.name, tuple(zoho_plain(a, zone) for a in args), rt))


def _base_name(dotted: str) -> str:
    """`zoho.crm.v8.getrecordbyid` and `zoho.crm.v2.x` share fixtures with `zoho.crm.x`."""
    for version in (".v2.", ".v8."):
        dotted = dotted.replace(version, ".")
    return dotted


def _invoke_connector(rt, service, args):
    api_id, params = args
    if type(api_id) is not str:
        raise ScriptError("zoho.crm.invokeConnector: the first argument must be the API's "
                          "unique name as TEXT, like \"myconnector.getcontacts\"")
    if type(params) is Collection and params.kind != "list":
        params = params.as_map()  # `{}` is an empty map here, as in Zoho's examples
    if params is not None and type(params) is not dict:
        raise ScriptError("zoho.crm.invokeConnector: the second argument must be a KEY-VALUE map")
    rt.http_calls += 1
    if rt.http_calls > rt.limits.http_calls:
        from .errors import LimitError
        n = rt.limits.http_calls
        raise LimitError("http_calls", n, f"more than {n} HTTP calls (limit 'http_calls' = {n})")
    return from_plain(service.invoke(api_id, to_plain(params or {})))


_SERVICE_WORDS = {"records": "record store", "connectors": "connector registry",
                  "http": "HTTP service", "mail": "mail service"}


# ------------------------------------------------------------------ block tasks

BLOCK_TASKS = {
    "invokeurl": {"url", "type", "headers", "body", "parameters", "files", "connection",
                  "detailed", "response-format", "response format", "response-decoding",
                  "content-type", "content type"},
    "invokeapi": {"service", "path", "type", "headers", "body", "parameters", "connection"},
    "sendmail": {"from", "to", "cc", "bcc", "reply to", "subject", "message", "content type",
                 "content-type", "attachments"},
}


def run_block_task(rt, name: str, params: dict):
    """`invokeurl [...]`, `sendmail [...]`: handled by a fixture, else by the host's service.
    Each `sendmail` counts against the run's `mails` budget first, whoever sends it."""
    if name == "sendmail":
        rt.mails += 1
        if rt.mails > rt.limits.mails:
            n = rt.limits.mails
            raise LimitError("mails", n, f"the function sent more than {n:,} mails "
                                         f"(limit 'mails' = {n})")
    handler = rt.services.tasks.get(name)
    if handler is not None:
        return from_plain(handler(rt, to_plain(params)))
    service = rt.services.http if name in ("invokeurl", "invokeapi") else rt.services.mail
    if service is None or not hasattr(service, "run_task"):
        what = "HTTP service" if name != "sendmail" else "mail service"
        raise ScriptError(f"{name}: no {what} is configured for this run "
                          f"(stub it with --fixtures, or run it on a host that provides one)")
    return from_plain(service.run_task(rt, name, params))


# ------------------------------------------------------------------ system variables

SYSTEM_VARIABLES = {"currentdate", "currenttime", "loginuser", "loginuserid", "adminuser",
                    "adminuserid", "currentdatetime", "appname", "appuri", "ipaddress"}


def system_variable(rt, name: str):
    """`zoho.currentdate` (today, a DATE), `zoho.currenttime` (now, a DATE-TIME), users."""
    key = name.lower()
    if key == "currentdate":
        return rt.now().date()
    if key in ("currenttime", "currentdatetime"):
        return rt.now()
    if key in ("loginuser", "loginuserid"):
        return rt.services.user
    if key in ("adminuser", "adminuserid"):
        return rt.services.admin
    if key in ("appname", "appuri"):
        return "delugelang"
    if key == "ipaddress":
        return "127.0.0.1"
    raise ScriptError(f"zoho.{name} is not a system variable")
