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

from operator import attrgetter

_set = object.__setattr__


class FrozenError(AttributeError):
    """Assigning to or deleting a field of an immutable value."""


class Mutable:
    """Fields in `_fields`; equality by type and fields; unhashable (it can change)."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # `value._values(value)`: the field values as a tuple, read in C (an attrgetter is
        # no method, so it is called with the value itself). Syntax trees compare and hash
        # nodes by this all the time.
        names = cls._fields
        if len(names) > 1:
            cls._values = attrgetter(*names)
        elif names:
            one = attrgetter(names[0])
            cls._values = staticmethod(lambda value: (one(value),))
        else:
            cls._values = staticmethod(lambda value: ())

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return self._values(self) == other._values(other)
        return NotImplemented

    __hash__ = None  # equal values may stop being equal: as an unfrozen dataclass

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={value!r}" for name, value in zip(self._fields,
                                                                   self._values(self)))
        return f"{type(self).__qualname__}({shown})"

    def __reduce__(self):  # copy and pickle: rebuild through __init__ by keyword
        return _rebuild, (self.__class__, dict(zip(self._fields, self._values(self))))

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
        return hash(self._values(self))


def _rebuild(cls, values: dict):
    return cls(**values)


def fields(value) -> tuple[str, ...]:
    """The names of a value's fields, in constructor order (dataclasses.fields)."""
    return value._fields
