"""The record backend interface (a host may plug in another database) and module rules."""

from __future__ import annotations

import re
from contextlib import AbstractContextManager
from typing import Iterator, Protocol

from delugelang.records.errors import RecordError

# Zoho's standard modules and the fields a new record must have (Zoho CRM's layouts:
# Last Name for Leads and Contacts, Account Name, Deal Name and Stage).
STANDARD_MODULES: dict[str, tuple[str, ...]] = {
    "Leads": ("Last_Name",),
    "Contacts": ("Last_Name",),
    "Accounts": ("Account_Name",),
    "Deals": ("Deal_Name", "Stage"),
}
# Upsert's system-defined duplicate check fields, used when the call names none (Zoho's
# Upsert Records API: Email for Leads and Contacts, Account_Name, Deal_Name).
DUPLICATE_CHECK_FIELDS: dict[str, tuple[str, ...]] = {
    "Leads": ("Email",),
    "Contacts": ("Email",),
    "Accounts": ("Account_Name",),
    "Deals": ("Deal_Name",),
}
# A custom module's only mandatory field is its name field, `Name`.
CUSTOM_MANDATORY = ("Name",)

MODULE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,99}\Z")
FIELD_NAME = re.compile(r"[A-Za-z$][A-Za-z0-9_$]{0,199}\Z")


def mandatory_fields(module: str) -> tuple[str, ...]:
    return STANDARD_MODULES.get(module, CUSTOM_MANDATORY)


def check_module_name(name) -> str:
    if type(name) is not str or not MODULE_NAME.match(name):
        raise RecordError("INVALID_MODULE", "the module name given seems to be invalid",
                          explanation=f"{name!r} is not a module API name (letters, digits and "
                                      f"_, starting with a letter, like Contacts or Vendors_X)")
    return name


class RecordBackend(Protocol):
    """Where records live. Records are plain dicts that hold their system fields (id, Owner,
    Created_Time, ...); the RecordStore decides their content, a backend only keeps them.

    Every method is one transaction unless it runs inside `batch()`, which makes all the
    writes in the block one transaction (committed at the end, rolled back on error).
    """

    def batch(self) -> AbstractContextManager[None]: ...

    def module(self, name: str) -> str | None:
        """The module's canonical name (case-insensitive look-up), or None if it does not exist."""

    def add_module(self, name: str) -> str: ...

    def modules(self) -> list[tuple[str, int]]:
        """(module, record count) for every module."""

    def new_id(self) -> str:
        """A fresh 19-digit record id in Zoho's style."""

    def user_id(self) -> str:
        """The id of the workspace's user (the owner of new records)."""

    def insert(self, module: str, record: dict) -> None: ...

    def replace(self, module: str, record: dict) -> None: ...

    def fetch(self, module: str, record_id: str) -> dict | None: ...

    def scan(self, module: str) -> Iterator[dict]:
        """Every record of `module`, oldest first."""

    def remove(self, module: str, record_id: str) -> bool: ...
