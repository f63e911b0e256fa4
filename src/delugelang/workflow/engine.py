"""Fires workflow rules on record writes, runs their functions, and logs every run.

Depth rule: a function run by a rule is at depth 1; records it writes (with
`{"trigger": ["workflow"]}`) fire rules whose functions run at depth 2, and so on. A rule
that would run deeper than MAX_DEPTH is not run: it is logged as skipped. An edit rule
without `repeat` runs once per record, so a function that updates its own record runs
once; with `repeat` it runs at most MAX_DEPTH times in a chain.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from delugelang.errors import CheckError, DelugeError
from delugelang.limits import CRM
from delugelang.values import to_json_text
from delugelang.workflow.log import FAILED, OK, SKIPPED, Execution, WorkflowLog
from delugelang.workflow.rules import Action, Rule, RuleError, RuleFiles, WORKFLOWS_DIR

MAX_DEPTH = 3


@dataclass(frozen=True)
class TestOutcome:
    """A dry run of one rule against one record: did it match, why not, what ran."""

    rule: Rule
    matched: bool
    reason: str
    runs: tuple[Execution, ...] = ()


class WorkflowEngine:
    """The workspace's rules over a RecordStore. `services` (optional) is the base the
    functions run with; by default the workspace's connectors and guarded HTTP."""

    def __init__(self, workspace_dir, store, *, limits=None, services=None, log=None):
        self.root = Path(workspace_dir)
        self.store = store
        self.files = RuleFiles(self.root)
        self.limits = limits or CRM
        self.observers: list[Callable[[Execution], None]] = []
        self.problems: list[RuleError] = []
        self._services = services
        self._log = log
        self._local = threading.local()
        self._cache: tuple | None = None

    @classmethod
    def attach_if_defined(cls, workspace_dir, store) -> "WorkflowEngine | None":
        """Attach an engine to `store` when the workspace has a `workflows/` directory."""
        if not (Path(workspace_dir) / WORKFLOWS_DIR).is_dir():
            return None
        return cls(workspace_dir, store).attach()

    def attach(self) -> "WorkflowEngine":
        self.store.on_write(self.handle)
        self.store.workflows = self
        return self

    @property
    def log(self) -> WorkflowLog:
        if self._log is None:
            from delugelang.state import StateStore
            state = getattr(self.store.backend, "state", None) or StateStore(self.root)
            self._log = WorkflowLog(state)
        return self._log

    def rules(self) -> list[Rule]:
        """The valid rules (re-read when a file changes); `problems` holds the invalid ones."""
        signature = _rule_files_signature(self.files.directory)
        if self._cache is None or self._cache[0] != signature:
            rules, problems = self.files.load_all()
            self._cache = (signature, rules)
            self.problems = problems
        return self._cache[1]

    # -- firing ----------------------------------------------------------------------

    def handle(self, event) -> None:
        """A committed write: run every enabled rule it triggers and whose criteria match."""
        depth = getattr(self._local, "depth", 0)
        for rule in self.rules():
            if not (rule.enabled and rule.module.lower() == event.module.lower()
                    and rule.trigger.fires(event.kind, event.changed)):
                continue
            if not _safe_match(rule, event.record):
                continue
            key = (rule.name, str(event.record.get("id")))
            if event.kind == "edit" and not rule.repeat and (
                    key in self._running() or self.log.has_run(*key)):
                continue  # Zoho runs an edit rule once per record unless it repeats
            self._running().add(key)
            try:
                for action in rule.actions:
                    self._run_action(rule, action, event, depth)
            finally:
                self._running().discard(key)

    def _run_action(self, rule: Rule, action: Action, event, depth: int) -> None:
        if depth >= MAX_DEPTH:
            run = self._skipped(rule, action, event, depth)
        else:
            run = self.execute(rule, action, event.record, event.kind, depth=depth)
        self.log.add(run)
        for observer in list(self.observers):
            observer(run)

    def _running(self) -> set:
        """The (rule, record id) pairs whose functions are running in this thread."""
        if not hasattr(self._local, "running"):
            self._local.running = set()
        return self._local.running

    def execute(self, rule: Rule, action: Action, record: dict, event: str, *, depth: int = 0,
                services=None) -> Execution:
        """Run one action's function for `record`; never raises for the function's faults."""
        from delugelang.program import compile as compile_program
        started, at = time.perf_counter(), _now()
        base = dict(rule=rule.name, module=rule.module, record_id=str(record.get("id", "")),
                    event=event, function=action.function, at=at, depth=depth + 1)
        try:
            source = (self.root / action.file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = "not UTF-8 text" if isinstance(exc, UnicodeDecodeError) \
                else (exc.strerror or "unreadable")
            return Execution(status=FAILED, error=f"cannot read the function file "
                                                  f"{action.file} ({reason})",
                             ms=_ms(started), **base)
        self._local.depth = depth + 1
        try:
            program = compile_program(source, action.file, limits=self.limits)
            args = {name: t.render(record) for name, t in action.arguments.items()}
            function = action.function if program.functions else None
            result = program.run(args, record=record, services=services or self.services(),
                                 limits=self.limits, function=function)
        except DelugeError as err:
            return Execution(status=FAILED, error=_describe(err, action.file),
                             info=tuple(getattr(err, "info", ()) or ()), ms=_ms(started), **base)
        except Exception:  # a defect in the engine must not lose the record write
            return Execution(status=FAILED, error="internal error in the engine while running "
                                                  "the function", ms=_ms(started), **base)
        finally:
            self._local.depth = depth
        return Execution(status=OK, result=json.loads(to_json_text(result.value)),
                         info=tuple(result.info), ms=_ms(started), **base)

    def services(self):
        """The services functions run with: the base services, with this store for records."""
        if self._services is None:
            from delugelang.workflow.services import workspace_services
            self._services = workspace_services(self.root, self.limits, records=self.store)
        elif self._services.records is not self.store:
            self._services = self._services.replace(records=self.store)
        return self._services

    def _skipped(self, rule: Rule, action: Action, event, depth: int) -> Execution:
        return Execution(rule.name, rule.module, str(event.record.get("id", "")), event.kind,
                         action.function, SKIPPED, _now(), depth=depth + 1,
                         error=f"not run: workflow rules may run functions at most {MAX_DEPTH} "
                               f"deep (a function's record write fired this rule at depth "
                               f"{depth + 1})")

    # -- dry runs --------------------------------------------------------------------

    def test(self, name: str, record: dict, *, event: str = "create",
             changed: frozenset[str] | None = None, fixtures: dict | None = None) -> TestOutcome:
        """Would `name` fire for `record`? If so run its functions against a copy-on-write
        view of the store: nothing is written and nothing is logged."""
        rule = self.files.load(name)
        if changed is None:
            changed = frozenset(record)
        if not rule.trigger.fires(event, changed):
            why = f"the trigger '{rule.trigger.describe()}' does not fire on {event}"
            if rule.trigger.fields and event in rule.trigger.events:
                why += f" unless {', '.join(rule.trigger.fields)} changes"
            elif event not in rule.trigger.events:
                why += f": it fires on {' or '.join(sorted(rule.trigger.events))}"
            return TestOutcome(rule, False, why)
        if not _safe_match(rule, record):
            return TestOutcome(rule, False, f"the criteria '{rule.criteria}' is false for this "
                                            f"record")
        services = self._dry_services(fixtures)
        runs = tuple(self.execute(rule, action, record, event, services=services)
                     for action in rule.actions)
        reason = f"the criteria '{rule.criteria}' match" if rule.criteria else \
            "the rule has no criteria, so every record matches"
        if not rule.enabled:
            reason += "; the rule is disabled, so it would not fire"
        return TestOutcome(rule, True, reason, runs)

    def _dry_services(self, fixtures: dict | None):
        from delugelang.records import OverlayBackend, RecordStore
        dry = RecordStore(OverlayBackend(self.store.backend), clock=self.store.clock,
                          user_name=self.store.user_name, user_email=self.store.user_email)
        services = self.services().replace(records=dry)
        if fixtures:
            from delugelang.fixtures import with_fixtures
            services = with_fixtures(services, fixtures)
        return services


def _rule_files_signature(directory: Path) -> tuple:
    """(name, mtime, size) of every `*.json` in `directory`, sorted: any change to a rule
    file changes it. One scandir, cheaper than glob() and a stat() per path."""
    found = []
    try:
        with os.scandir(directory) as entries:
            for entry in entries:
                if entry.name.endswith(".json") and not entry.name.startswith("."):
                    try:
                        st = entry.stat()
                    except FileNotFoundError:  # removed while we looked
                        continue
                    found.append((entry.name, st.st_mtime_ns, st.st_size))
    except (FileNotFoundError, NotADirectoryError):
        return ()
    found.sort()
    return tuple(found)


def _safe_match(rule: Rule, record: dict) -> bool:
    try:
        return rule.matches(record)
    except Exception:
        return False


def _describe(err: DelugeError, filename: str) -> str:
    if isinstance(err, CheckError):
        first = err.problems[0]
        more = f" (and {len(err.problems) - 1} more)" if len(err.problems) > 1 else ""
        return f"{filename}:{first.line}:{first.column or 1}: {first.message}{more}"
    if err.line is not None:
        return f"{filename}:{err.line}:{err.column or 1}: {err.message}"
    return f"{filename}: {err.message}"


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)
