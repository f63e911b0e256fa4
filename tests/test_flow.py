"""delugelang.flow: variables read before any assignment, the kinds each can hold, and the
code the compiler leaves out because of them (behaviour unchanged, checked by running)."""

from __future__ import annotations

import datetime
import decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import delugelang
from delugelang import flow
from delugelang import nodes as n
from delugelang.builtins.docgen import observed_returns
from delugelang.builtins.registry import method_spec
from delugelang.frontend import parse_module
from delugelang.limits import CRM
from delugelang.values import to_json_text


def _flow(body: str, params=()) -> flow.Flow:
    module = parse_module(body)
    return flow.Flow(params, module.body, lambda call: flow.method_kinds(
        method_spec(call.name), len(call.args)) if method_spec(call.name) else None)


def _value_of(source: str, **run):
    return delugelang.compile(source).run(**run).plain_value()


@pytest.mark.parametrize("body,unassigned", [
    ("x = 1; info x;", set()),
    ("info x; x = 1;", {"x"}),
    ("x = x + 1;", {"x"}),
    ("if (c) { x = 1; } info x;", {"x"}),
    ("if (c) { x = 1; } else { x = 2; } info x;", set()),
    ("if (c) { x = 1; } else if (d) { x = 2; } info x;", {"x"}),
    ("if (c) { x = 1; } else if (d) { x = 2; } else { x = 3; } info x;", set()),
    ("for each i in {1} { y = i; } info y;", {"y"}),
    ("for each i in {1} { info y; y = i; }", {"y"}),
    ("for each i in {1} { y = i; info y; }", set()),
    ("try { x = 1; } catch (e) { info x; }", {"x"}),
    ("try { x = 1; } catch (e) { x = 2; } info x;", set()),
    ("try { x = 1; } catch (e) { info e; } info x;", {"x"}),
    ("x = 1; if (c) { info x; }", set()),
])
def test_unassigned_are_the_reads_a_path_may_reach_first(body, unassigned):
    c = "c = true; d = false; "
    assert _flow(c + body).unassigned == unassigned


def test_kinds_follow_every_assignment():
    f = _flow('a = "x"; b = a + 1; n = 5; m = n; if (n > 1) { t = "p"; } else { t = 2; }'
              ' q = n > 1; u = input.Name; w = u.trim(); s = w.getSuffix("@");'
              ' for each i in {1} { k = i; } z = if(q, "a", "b");')
    kinds = {v: f.kinds_of(n.Var(None, v)) for v in "abnmtquwsikz"}
    assert kinds == {"a": flow.TEXT, "b": flow.TEXT, "n": flow.NUMBER, "m": flow.NUMBER,
                     "t": frozenset((str, int)), "q": flow.BOOLEAN, "u": None,
                     "w": flow.TEXT, "s": flow.TEXT_OR_NULL, "i": None, "k": None,
                     "z": flow.TEXT}


def test_a_variable_read_before_assignment_may_be_null():
    f = _flow('if (c) { v = "a"; } info v; c = true;')
    assert f.kinds_of(n.Var(None, "v")) == flow.TEXT_OR_NULL
    assert f.is_scalar(n.Var(None, "v")) and not f.is_text(n.Var(None, "v"))


def test_arguments_loop_and_catch_variables_are_unknown():
    f = _flow('a = 1; try { x = 1; } catch (e) { a = e; } info a;', params=("p",))
    assert f.kinds_of(n.Var(None, "e")) is None
    assert f.kinds_of(n.Var(None, "a")) is None  # it may hold the catch variable's value
    assert f.kinds_of(n.Var(None, "p")) is None


def test_self_references_reach_a_fixed_point():
    f = _flow('s = ""; for each i in {1, 2} { s = s + i; } x = 0; for each i in {1} '
              '{ x = x + 1; } info s + x;')
    assert f.kinds_of(n.Var(None, "s")) == flow.TEXT
    assert f.kinds_of(n.Var(None, "x")) is None  # arithmetic: not followed


_SAMPLES = {str: ["", "Hello World", "a@b.c", "  x  ", "İß"], list: [[], [1, "a"]],
            dict: [{}, {"a": 1}]}


_TYPE_NAMES = {str: "TEXT", int: "NUMBER", bool: "BOOLEAN", type(None): "NULL"}


@pytest.fixture(scope="module")
def observed():
    return observed_returns()


@pytest.mark.parametrize("impl", sorted(flow._result_table(), key=lambda f: f.__qualname__),
                         ids=lambda f: f.__qualname__)
def test_result_table_matches_what_each_builtin_gives(impl, observed):
    """Every value the builtin gave while every docstring example ran is of a kind the
    table names for it."""
    kinds = {_TYPE_NAMES[k] for k in flow._result_table()[impl]}
    assert observed.get(id(impl)), "an entry needs examples that call it"
    assert observed[id(impl)] <= kinds


@pytest.mark.parametrize("source,expected", [
    ("if (false) { x = 1; } return x;", None),
    ("for each i in {} { y = i; } return y;", None),
    ("try { x = 1 / 0; } catch (e) { } return x;", None),
    ('m = Map(); if (false) { v = "a"; } m.put("k", v); return m;', {"k": None}),
    ('m = Map(); v = "a"; if (true) { v = 1; } m.put("k", v); return m;', {"k": 1}),
    ('t = "a"; if (true) { t = "b"; } return t + "/" + t;', "b/b"),
    ('t = "x"; return t == "x" || t == "y";', True),
    ('t = 5; return t == 5;', True),
    ('r = input.Email.trim().toLowerCase(); m = Map(); m.put("e", r); '
     'm.put("d", r.getSuffix("#")); return m;', {"e": "a@b.c", "d": None}),
])
def test_code_without_the_tests_behaves_the_same(source, expected):
    assert _value_of(source, record={"Email": " A@B.c "}) == expected


def test_known_kinds_leave_out_tests_and_initial_nulls():
    source = ('map f() { t = "smb"; if (input.X > 1) { t = "big"; } m = Map(); '
              'm.put("tier", t); m.put("e", input.E.trim()); return m; }')
    generated = delugelang.compile(source).python_source()
    assert "v_t = None" not in generated and "v_m = None" not in generated
    assert "op_type(v_t)" not in generated  # a TEXT put as it is


def test_a_put_of_an_unknown_value_keeps_its_test():
    generated = delugelang.compile('m = Map(); m.put("a", input.A); return m;').python_source()
    assert "op_type(" in generated
    value = delugelang.compile('m = Map(); m.put("a", input.A); return m;').run(
        record={"A": [1, 2]}).plain_value()
    assert value == {"a": [1, 2]}


@pytest.mark.parametrize("value", [decimal.Decimal("1.5"), datetime.date(2024, 1, 2), [1]])
def test_unknown_record_values_still_take_the_full_path(value):
    program = delugelang.compile('m = Map(); v = input.V; m.put("v", v); return m.get("v");')
    assert program.run(record={"V": value}).value == program.run(record={"V": value}).value


# ---------------------------------------------------------------- the counted result map

_BUILDS = ('map f(string a, string b) {{ m = Map(); m.put("a", a.trim()); {extra}'
           'm.put("b", b + ""); m.put("n", 5); m.put("t", a == b); return m; }}')


def _counted(source: str, **run):
    from delugelang.program import PreparedCall
    from delugelang.runtime import Run
    seen = []
    real = Run.__init__

    def spy(self, *args, **kwargs):
        real(self, *args, **kwargs)
        seen.append(self)
    Run.__init__ = spy
    try:
        result = PreparedCall(delugelang.compile(source), None, None, run.pop("limits", None),
                              None)(run.pop("args", None), **run)
    finally:
        Run.__init__ = real
    return result, seen[-1].result_bound


TEXTS = st.text(alphabet="a\x01\"\\é😀\u2028 ", max_size=30)


@settings(max_examples=200, deadline=None)
@given(TEXTS, TEXTS)
def test_a_counted_bound_is_never_below_the_json_size(a, b):
    result, counted = _counted(_BUILDS.format(extra=""), args={"a": a, "b": b})
    assert counted is not None and counted[0] is result.value
    assert counted[1] >= len(to_json_text(result.value).encode("utf-8"))


def test_the_return_limit_holds_for_a_counted_map():
    limits = CRM.replace(return_bytes=200)
    with pytest.raises(delugelang.LimitError, match="return"):
        _counted(_BUILDS.format(extra=""), args={"a": "x" * 250, "b": "y"}, limits=limits)
    result, _ = _counted(_BUILDS.format(extra=""), args={"a": "x", "b": "y"}, limits=limits)
    assert result.plain_value() == {"a": "x", "b": "y", "n": 5, "t": False}


@pytest.mark.parametrize("extra", ['info m; ', 'm.put("c", m.size()); ', 'x = m; ',
                                   'm.remove("a"); ', 'for each k in {1} { m.put("k", k); } ',
                                   'm.put(a, "v"); ', 'm.put("l", {1, 2}); '])
def test_any_other_use_of_the_map_is_measured_instead(extra):
    source = _BUILDS.format(extra=extra)
    assert "result_bound" not in delugelang.compile(source).python_source()
    _, counted = _counted(source, args={"a": "x", "b": "y"})
    assert counted is None


def test_a_map_returned_by_a_nested_call_is_measured_as_it_is_returned():
    # `inner` builds and returns a map it could count, but it is called: what its caller
    # does with the map afterwards (here: a 300-character value) must still be measured.
    source = ('map outer() { m = inner(); '
              'm.put("more", "w".leftPad(300)); return m; }\n'
              'map inner() { r = Map(); r.put("a", "b"); return r; }')
    limits = CRM.replace(return_bytes=200)
    program = delugelang.compile(source)
    assert "result_bound" not in program.python_source().split("def f_1")[1]
    with pytest.raises(delugelang.LimitError, match="return"):
        program.run(limits=limits, function="outer")


def test_methods_on_a_known_text_need_no_type_test_and_keep_their_limits():
    source = 't = "aß"; u = t.upper(); return u.getSuffix("A") + t.trim().toLowerCase();'
    program = delugelang.compile(source)
    assert "op_type(v_t)" not in program.python_source()
    assert program.run().plain_value() == "SSaß"
    with pytest.raises(delugelang.LimitError):
        program.run(limits=CRM.replace(text_length=2))


# ---------------------------------------------------------------- a record read field by field

def test_fields_are_converted_as_they_are_read_and_the_host_record_never_changes():
    host = {"L": [1, 2], "X": 1.5, "N": None, "B": True, "S": "s"}
    program = delugelang.compile('l = input.L; l.add(3); m = Map(); m.put("l", input.L); '
                                 'm.put("x", input.X); m.put("n", input.N); '
                                 'm.put("b", input.B); m.put("s", input.S); return m;')
    assert program.by_field
    assert program.run(record=host).plain_value() == {"l": [1, 2, 3], "x": 1.5, "n": None,
                                                       "b": True, "s": "s"}
    assert host == {"L": [1, 2], "X": 1.5, "N": None, "B": True, "S": "s"}
    assert type(program.run(record=host).value["x"]) is decimal.Decimal


def test_a_field_that_is_no_deluge_value_fails_where_it_is_read():
    program = delugelang.compile('a = 1;\nb = input.Big + 1;\nreturn b;')
    with pytest.raises(delugelang.HostDataError) as caught:
        program.run(record={"Big": 2**70})
    assert caught.value.line == 2 and "NUMBER" in str(caught.value)
    # A field the function never reads is never looked at.
    assert program.run(record={"Big": 1, "Other": float("nan")}).plain_value() == 2


@pytest.mark.parametrize("source", ['info input; return input.A;',
                                    'm = input; return m.get("A");',
                                    'return input.get("A");',
                                    'input = {"A": 2}; return input.A;',
                                    'map f(string A) { return {"a": input.A}; }'])
def test_a_record_used_any_other_way_is_checked_and_copied_first(source):
    program = delugelang.compile(source)
    assert not program.by_field or source.startswith("map f(")
    with pytest.raises(delugelang.HostDataError, match="NaN"):
        program.run(record={"A": 1, "Other": float("nan")})


def test_reading_by_field_survives_the_program_cache():
    from delugelang import program_codec
    program = delugelang.compile('return input.A;')
    restored = program_codec.decode(program_codec.encode(program, ()), program.source,
                                    program.filename, ())
    assert restored.by_field and restored.run(record={"A": [1]}).plain_value() == [1]


@pytest.mark.parametrize("source", [
    # Found in review: an argument is the caller's object (here also the record's field).
    'map f(map m) { x = input.get("m"); x.put("k", "x".leftPad(500)); '
    'if (true) { return m; } m = Map(); return m; }',
    'string f(string s) { if (true) { return s; } s = Map(); return s; }',
])
def test_an_argument_is_never_a_counted_result(source):
    program = delugelang.compile(source)
    assert "result_bound" not in program.python_source()
    with pytest.raises(delugelang.LimitError, match="return"):
        program.run({"s": "y" * 300} if "string f" in source else None,
                    record={"m": {"a": 1}}, limits=CRM.replace(return_bytes=200))


def test_a_record_field_and_the_argument_mapped_from_it_are_one_value():
    # Found in review: with arguments the record is converted first; reading its fields
    # must then give those very values, not converted copies.
    program = delugelang.compile('map f(map m) { input.m.put("k", "v"); return m; }')
    assert program.by_field
    assert program.run(record={"m": {"a": 1}}).plain_value() == {"a": 1, "k": "v"}


@pytest.mark.parametrize("value", [2**63 - 1, -2**63, 2**63, -2**63 - 1, True, None, 1.25])
def test_number_fields_read_by_field_keep_the_number_range(value):
    program = delugelang.compile("x = input.N; return x;")
    if type(value) is int and not -2**63 <= value < 2**63:
        with pytest.raises(delugelang.HostDataError, match="NUMBER"):
            program.run(record={"N": value})
    else:
        assert program.run(record={"N": value}).plain_value() == value


@pytest.mark.parametrize("value,kind", [(1.5, "DECIMAL"), ([1], "LIST"), (5, "NUMBER")])
def test_a_text_method_on_a_field_that_is_no_text_names_its_deluge_type(value, kind):
    with pytest.raises(delugelang.ScriptError, match=kind):
        delugelang.compile("return input.F.trim();").run(record={"F": value})
    assert delugelang.compile("return input.F.trim();").run(record={"F": " a "}).value == "a"


def test_a_script_cannot_catch_host_data_that_is_no_deluge_value():
    # Found in review: the field's conversion failed inside the run as a catchable error.
    program = delugelang.compile('try { b = input.Bad; } catch (e) { b = "fallback"; } return b;')
    for bad in ({"x": b"raw"}, 1.5j, decimal.Decimal("NaN"), decimal.Decimal("sNaN"),
                decimal.Decimal("Infinity")):
        with pytest.raises(delugelang.HostDataError, match="field 'Bad'"):
            program.run(record={"Bad": bad})
    with pytest.raises(delugelang.HostDataError, match="NaN"):  # the whole record, first
        delugelang.compile("info input;").run(record={"Bad": decimal.Decimal("NaN")})


def test_host_decimals_take_the_engines_decimal_context():
    program = delugelang.compile("return input.D;")
    assert program.run(record={"D": decimal.Decimal("1." + "3" * 50)}).value == \
        decimal.Decimal("1." + "3" * 33)
    with pytest.raises(delugelang.HostDataError, match="range"):
        program.run(record={"D": decimal.Decimal("1E+1000000")})


def test_host_data_errors_cross_from_an_isolated_run():
    program = delugelang.compile("return input.Bad;")
    with pytest.raises(delugelang.HostDataError, match="field 'Bad'"):
        program.run(record={"Bad": 1.5j}, isolation="process")
