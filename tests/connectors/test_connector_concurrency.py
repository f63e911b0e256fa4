"""One refresh per connection at a time, across threads and processes, with rotating tokens."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

from connector_helpers import authorize, define_crm

from delugelang.connectors import ConnectorRegistry, ConnectorService

WORKER = Path(__file__).parent / "refresh_worker.py"


def _due_connection(provider, workspace, service_factory) -> None:
    """An authorized connection whose token is already inside the refresh leeway."""
    define_crm(workspace, provider)
    ConnectorRegistry(workspace).publish_api("crm.me")
    provider.knobs.expires_in = 30
    authorize(service_factory())
    provider.knobs.expires_in = 3600
    provider.knobs.refresh_delay = 0.3  # a slow token endpoint widens the race window


def test_eight_threads_and_four_processes_cause_one_refresh(provider, workspace, http):
    _due_connection(provider, workspace, lambda: ConnectorService(workspace, http=http))
    start_at = time.time() + 2.0
    processes = [subprocess.Popen([sys.executable, str(WORKER), str(workspace), str(start_at)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(4)]
    results: list[str] = []

    def call() -> None:
        service = ConnectorService(workspace, http=http)  # no shared instance state
        while time.time() < start_at:
            time.sleep(0.001)
        results.append(service.invoke("crm.me", {})["status_code"])

    threads = [threading.Thread(target=call) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    outputs = [p.communicate(timeout=20) for p in processes]
    assert [p.returncode for p in processes] == [0] * 4, [err for _, err in outputs]
    assert results == ["200"] * 8
    assert [out.strip() for out, _ in outputs] == ["200"] * 4
    assert provider.counters.refresh == 1
    assert len(provider.live_refresh_tokens()) == 1


def test_threads_sharing_one_service_refresh_once(provider, workspace, http):
    _due_connection(provider, workspace, lambda: ConnectorService(workspace, http=http))
    service = ConnectorService(workspace, http=http)
    barrier = threading.Barrier(8)
    results: list[str] = []

    def call() -> None:
        barrier.wait()
        results.append(service.invoke("crm.me", {})["status_code"])

    threads = [threading.Thread(target=call) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert results == ["200"] * 8
    assert provider.counters.refresh == 1
