"""Pytest fixtures and hooks for the whole suite: the connect() spy and the conformance summary."""

import socket

import pytest

from shared_corpus import CONFORMANCE_COUNTS


@pytest.fixture
def connects(monkeypatch):
    """Every address any socket in this process tries to connect to."""
    attempts: list = []
    original = socket.socket.connect

    def spy(sock, address):
        attempts.append(address)
        return original(sock, address)

    monkeypatch.setattr(socket.socket, "connect", spy)
    return attempts


def pytest_terminal_summary(terminalreporter):
    if not CONFORMANCE_COUNTS:
        return
    terminalreporter.section("Deluge conformance (../shared/conformance/public.jsonl)")
    total_pass = total = 0
    for category in sorted(CONFORMANCE_COUNTS):
        passed, count = CONFORMANCE_COUNTS[category]
        total_pass += passed
        total += count
        terminalreporter.write_line(f"  {category:12} {passed:4} / {count}")
    terminalreporter.write_line(f"  {'all':12} {total_pass:4} / {total}")
