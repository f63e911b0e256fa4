"""Limits, Services, Problem, TaskSpec and the builtin specs behave as the dataclasses they were."""

from __future__ import annotations

import copy
import pickle

import pytest

from delugelang import CREATOR, CRM, Limits, Problem, Services
from delugelang.builtins.registry import FunctionSpec, MethodSpec
from delugelang.frozen import FrozenError, fields
from delugelang.tasks import TaskSpec, lookup


def test_limits_keyword_construction_defaults_and_equality():
    assert Limits() == CRM and hash(Limits()) == hash(CRM)
    assert Limits(statements=5_000) == CREATOR != CRM
    assert CRM.statements == 200_000 and CRM.time_seconds == 60.0
    with pytest.raises(TypeError):
        Limits(5_000)  # keyword only, as @dataclass(kw_only=True)
    with pytest.raises(TypeError):
        Limits(statement=5)


def test_limits_replace_keeps_the_rest_and_refuses_unknown_names():
    changed = CRM.replace(statements=7, mails=2)
    assert (changed.statements, changed.mails, changed.call_depth) == (7, 2, CRM.call_depth)
    assert CRM.statements == 200_000  # the original is untouched
    with pytest.raises(TypeError):
        CRM.replace(no_such_limit=1)


def test_limits_fields_overrides_and_describe_list_every_limit_in_order():
    names = fields(CRM)
    assert names[:3] == ("statements", "time_seconds", "call_depth")
    assert [name for name, _, _ in CRM.describe()] == list(names)
    assert all(reason for _, _, reason in CRM.describe())  # each field's docstring is found
    assert CRM.with_overrides(["http-calls=3"]).http_calls == 3
    with pytest.raises(ValueError, match="unknown limit 'nope'"):
        CRM.with_overrides(["nope=1"])


def test_repr_names_every_field():
    assert repr(Problem("bad", 1, 2)) == "Problem(message='bad', line=1, column=2, severity='error')"
    assert repr(CRM).startswith("Limits(statements=200000, time_seconds=60.0, ")


@pytest.mark.parametrize("value", [CRM, Problem("bad", 3, 4, "warning"),
                                   TaskSpec("zoho.crm.x", 1, None, "records"),
                                   Services(timezone="UTC", user="u@example.com")])
def test_frozen_values_refuse_assignment_and_survive_copy_and_pickle(value):
    name = fields(value)[0]
    with pytest.raises(FrozenError):
        setattr(value, name, None)
    with pytest.raises(AttributeError):  # FrozenError is an AttributeError, as before
        delattr(value, name)
    with pytest.raises(AttributeError):  # __slots__: no stray attributes either
        object.__setattr__(value, "stray", 1)
    assert pickle.loads(pickle.dumps(value)) == value
    assert copy.copy(value) == value and copy.deepcopy(value) == value


def test_services_defaults_replace_and_tasks_not_shared():
    first, second = Services(), Services()
    assert first.tasks == {} and first.tasks is not second.tasks  # default_factory=dict
    moved = first.replace(timezone="Asia/Kolkata", records="store")
    assert (moved.timezone, moved.records, moved.user) == ("Asia/Kolkata", "store", first.user)
    assert str(moved.zone()) == "Asia/Kolkata"
    assert Services(random_seed=7).make_random().random() == Services(random_seed=7).make_random().random()
    with pytest.raises(TypeError):
        hash(first)  # holds a dict, as the frozen dataclass did


def test_builtin_specs_are_mutable_records_with_equality():
    spec = MethodSpec("trim")
    spec.impls[str] = (len, 0, 0)
    assert spec == MethodSpec("trim", {str: (len, 0, 0)}) != MethodSpec("trim")
    assert spec.arity() == (0, 0)
    function = FunctionSpec("isNull", len, 1, 1)
    assert function.replace(impl=abs) == FunctionSpec("isNull", abs, 1, 1)
    with pytest.raises(TypeError):
        hash(function)  # an unfrozen dataclass with eq was unhashable


def test_task_specs_replace_for_the_doc_generator():
    spec = lookup("zoho.encryption.md5")
    assert spec.service == "compute" and spec.impl is not None
    wrapped = spec.replace(impl=print)
    assert (wrapped.name, wrapped.min_args, wrapped.impl) == (spec.name, spec.min_args, print)
