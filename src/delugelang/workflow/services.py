"""The services a workspace lends a run: its record store, connectors and guarded HTTP."""

from __future__ import annotations

import os
from pathlib import Path

from delugelang.services import Services
from delugelang.state.store import DB_FILE, STATE_DIR


def has_state(workspace_dir: str | os.PathLike) -> bool:
    return (Path(workspace_dir) / STATE_DIR / DB_FILE).is_file()


def workspace_records(workspace_dir: str | os.PathLike):
    """The workspace's RecordStore (with its workflow rules), or None when it has no state."""
    if not has_state(workspace_dir):
        return None
    from delugelang.records import RecordStore
    return RecordStore.open(workspace_dir)


def workspace_services(workspace_dir: str | os.PathLike, limits, *, records=None,
                       extension: str | None = None) -> Services:
    """Records (`records`, else the workspace's store), connectors when the workspace has
    `connectors/`, and HTTP through the guarded client with DG_ALLOW_HOSTS / DG_RESOLVE."""
    from delugelang.invokeurl import HttpTaskService
    connectors = None
    if (Path(workspace_dir) / "connectors").is_dir():
        from delugelang.connectors import ConnectorService
        connectors = ConnectorService(workspace_dir, extension=extension)
    if records is None:
        records = workspace_records(workspace_dir)
    return Services(http=HttpTaskService.from_env(limits, connectors), connectors=connectors,
                    records=records)
