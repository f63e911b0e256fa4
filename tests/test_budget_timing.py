"""A script that burns its statement budget stops within 1.5x the time the budget takes.

Issue 4's "done when": hitting the limit must not cost much more than spending the same
statements legitimately (no slow unwinding, no work past the limit). Times are compared,
never asserted absolutely: the median of several runs of each, on the same machine.
"""

from __future__ import annotations

import statistics
import time

import pytest

import delugelang
from delugelang.errors import LimitError
from delugelang.limits import CRM, Limits

HUNDRED = "{" + ",".join(str(i) for i in range(100)) + "}"
REPEATS = 9


def loops(inner: int) -> str:
    """About 100 * 100 * inner * 2 statements: three nested loops around one assignment."""
    steps = "{" + ",".join(str(i) for i in range(inner)) + "}"
    return (f"x = 0;\nfor each a in {HUNDRED} {{\n  for each b in {HUNDRED} {{\n"
            f"    for each c in {steps} {{\n      x = x + 1;\n    }}\n  }}\n}}\nreturn x;")


def median_seconds(*runs) -> list[float]:
    """The median time of each run, taken in turns so that both see the same noise."""
    times = [[] for _ in runs]
    for _ in range(REPEATS):
        for run, spent in zip(runs, times):
            started = time.perf_counter()
            run()
            spent.append(time.perf_counter() - started)
    return [statistics.median(spent) for spent in times]


def test_hitting_the_statement_limit_costs_no_more_than_the_budget():
    inner = 10
    spend = delugelang.compile(loops(inner), "<spend>")
    burn = delugelang.compile(loops(inner * 50), "<burn>")
    budget = spend.run(limits=CRM.replace(statements=10**9)).stats.statements
    assert budget >= CRM.statements, "the legitimate run should spend a CRM-sized budget"
    limits = Limits(statements=budget, time_seconds=60)

    def spend_budget():
        assert spend.run(limits=limits).value == 100 * 100 * inner

    def burn_budget():
        with pytest.raises(LimitError) as caught:
            burn.run(limits=limits)
        assert caught.value.limit == "statements"
        assert caught.value.statements <= budget + 100  # counted per back-edge

    spend_budget(), burn_budget()  # warm both paths
    legitimate, stopped = median_seconds(spend_budget, burn_budget)
    assert stopped <= 1.5 * legitimate, (
        f"stopping at {budget:,} statements took {stopped * 1000:.1f} ms; "
        f"spending them took {legitimate * 1000:.1f} ms")
