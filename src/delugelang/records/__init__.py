"""Zoho-style CRM records: the store, its backends, the zoho.crm tasks, and CSV/JSON import."""

from delugelang.records.backend import STANDARD_MODULES, RecordBackend
from delugelang.records.errors import RecordError
from delugelang.records.memory import MemoryBackend, OverlayBackend
from delugelang.records.store import RecordStore, WriteEvent

__all__ = ["MemoryBackend", "OverlayBackend", "RecordBackend", "RecordError", "RecordStore",
           "STANDARD_MODULES", "WriteEvent"]
