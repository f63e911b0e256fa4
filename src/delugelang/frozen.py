"""Immutable value classes with __slots__: what frozen dataclasses gave, without their cost.

Creating a dataclass compiles several functions per class (and importing `dataclasses`
pulls in `inspect`, `dis`, `tokenize`...): about 2-3 ms per class at every start-up of
`dg run`. A subclass of `Frozen` names its fields in `_fields` (also its `__slots__`) and
writes its own `__init__`, setting each field with `_set(self, name, value)`. It behaves
as a frozen dataclass did: equality and hashing by type and fields, a repr naming every
field, no assignment after construction, copy and pickle through `__init__`, and
`replace(**changes)` for variants. `Mutable` is the same without the freezing and the
hashing, as a plain (unfrozen) dataclass was.
"""

from __future__ import annotations

_set = object.__setattr__


class FrozenError(AttributeError):
    """Assigning to or deleting a field of an immutable value."""


class Mutable:
    """Fields in `_fields`; equality by type and fields; unhashable (it can change)."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()

    def _values(self) -> tuple:
        return tuple(getattr(self, name) for name in self._fields)

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return self._values() == other._values()
        return NotImplemented

    __hash__ = None  # equal values may stop being equal: as an unfrozen dataclass

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__qualname__}({shown})"

    def __reduce__(self):  # copy and pickle: rebuild through __init__ by keyword
        return _rebuild, (self.__class__, dict(zip(self._fields, self._values())))

    def replace(self, **changes):
        """A copy with some fields changed (dataclasses.replace)."""
        for name in self._fields:
            if name not in changes:
                changes[name] = getattr(self, name)
        return self.__class__(**changes)


class Frozen(Mutable):
    """A `Mutable` that refuses assignment after `__init__`, and hashes by its fields."""

    __slots__ = ()

    def __setattr__(self, name, value):
        raise FrozenError(f"cannot assign to field {name!r}")

    def __delattr__(self, name):
        raise FrozenError(f"cannot delete field {name!r}")

    def __hash__(self):
        return hash(self._values())


def _rebuild(cls, values: dict):
    return cls(**values)


def fields(value) -> tuple[str, ...]:
    """The names of a value's fields, in constructor order (dataclasses.fields)."""
    return value._fields
