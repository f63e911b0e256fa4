"""What the compiler knows of a function's variables before it runs: which ones a path may
read before any assignment, and which kinds of value (Python types) each can ever hold.

Deluge assigns a variable only by an assignment statement, a `for each` or a `catch` (no
expression assigns one, and no call changes its caller's variables), so both facts follow
from the function's own statements:

- `unassigned`: the variables some path reads before assigning them (they start as null).
  A branch assigns a variable for what follows only when every branch of its `if` (with an
  `else`) does; a loop body or a `try` block may not run to its end.
- `kinds_of(e)`: the Python types `e`'s value can have, or None when unknown. A variable
  holds one of the kinds of the values assigned to it anywhere in the function (null too,
  if it is in `unassigned`); a loop or `catch` variable, an argument or `input` is unknown.

The compiler uses them to leave out a type test it knows the answer to (a `put` of a TEXT
needs none), and to give a variable no initial null when nothing can read it unassigned.
"""

from __future__ import annotations

from . import nodes as n

NULL = type(None)
TEXT = frozenset((str,))
NUMBER = frozenset((int,))
BOOLEAN = frozenset((bool,))
# What a map `put` stores as it is (inline.collection_method's plain values).
SCALARS = frozenset((str, int, bool, NULL))

_LITERAL_KINDS = {"text": TEXT, "number": NUMBER, "boolean": BOOLEAN, "null": frozenset((NULL,))}
_COMPARISONS = frozenset(("==", "=", "!=", "<", "<=", ">", ">="))


class Flow:
    """The facts of one function body (see the module docstring)."""

    __slots__ = ("unassigned", "uses", "_kinds", "_method_kinds")

    def __init__(self, params, body, method_kinds):
        """`method_kinds(call)`: the kinds a MethodCall node gives, or None (the compiler
        knows which calls are builtin methods and which name functions or tasks)."""
        self._method_kinds = method_kinds
        locals_ = assigned_names(body)
        self.unassigned: set = set()
        self.uses: dict = {}  # how many times the body reads each variable
        _DefiniteAssignment(locals_, self.unassigned, self.uses).block(body, frozenset(params))
        opaque = set(params) | {"input"} | _bound_by_statements(body)
        self._kinds = _variable_kinds(_assignment_sites(body), opaque, self.unassigned,
                                      self._expression_kinds)

    def kinds_of(self, e: n.Node) -> frozenset | None:
        return self._expression_kinds(e, self._kinds)

    def is_scalar(self, e: n.Node) -> bool:
        """Whether `e` is surely a TEXT, NUMBER, BOOLEAN or null."""
        kinds = self.kinds_of(e)
        return kinds is not None and kinds <= SCALARS

    def is_text(self, e: n.Node) -> bool:
        """Whether `e` is surely a TEXT (never null)."""
        kinds = self.kinds_of(e)
        return kinds is not None and kinds <= TEXT

    def _expression_kinds(self, e, variables: dict) -> frozenset | None:
        t = type(e)
        if t is n.Literal:
            return _LITERAL_KINDS.get(e.kind)
        if t is n.Var:
            return variables.get(e.name)
        if is_boolean(e):
            # ops.eq / ops.lt ... and their inline forms give a bool; `&&`, `||` and `!`
            # take and give BOOLEANs (Compiler.condition).
            return BOOLEAN
        if t is n.BinOp:
            if e.op == "+" and (concatenates(e) or self._is_text(e.left, variables)
                                or self._is_text(e.right, variables)):
                return TEXT  # TEXT `+` anything concatenates (ops.add)
            return None
        if t is n.InlineIf:
            return _union(self._expression_kinds(e.then, variables),
                          self._expression_kinds(e.other, variables))
        if t is n.IfNull:
            return _union(self._expression_kinds(e.value, variables),
                          self._expression_kinds(e.other, variables))
        if t is n.MethodCall:
            return self._method_kinds(e)
        return None

    def _is_text(self, e, variables) -> bool:
        kinds = self._expression_kinds(e, variables)
        return kinds is not None and kinds <= TEXT


def _union(a, b):
    return None if a is None or b is None else a | b


def _variable_kinds(sites: dict, opaque: set, unassigned: set, expression_kinds) -> dict:
    """Each variable's kinds, to a fixed point: every variable starts with none, and gains
    those of each value assigned to it until nothing changes (an unknown one stays
    unknown). It ends, as each variable can only gain one of four kinds or become unknown."""
    kinds = {name: frozenset((NULL,)) if name in unassigned else frozenset()
             for name in sites if name not in opaque}
    changed = True
    while changed:
        changed = False
        for name, values in sites.items():
            now = kinds.get(name)
            if now is None:
                continue
            for value in values:
                found = expression_kinds(value, kinds)
                if found is None or not found <= now:
                    now = None if found is None else now | found
                    if now is None:
                        break
            if now is not kinds[name] and now != kinds[name]:
                if now is None:
                    del kinds[name]
                else:
                    kinds[name] = now
                changed = True
    return kinds


def _statements(body):
    """Every statement of `body`, nested blocks included."""
    stack = list(body)
    while stack:
        s = stack.pop()
        yield s
        t = type(s)
        if t is n.If:
            for _, block in s.branches:
                stack.extend(block)
            stack.extend(s.orelse or ())
        elif t is n.ForEach:
            stack.extend(s.body)
        elif t is n.Try:
            stack.extend(s.body)
            stack.extend(s.handler)


def assigned_names(body) -> set:
    """Every variable the body assigns: by assignment, `for each` or `catch`."""
    return {s.name for s in _statements(body) if type(s) is n.Assign} | _bound_by_statements(body)


def _bound_by_statements(body) -> set:
    """Variables a `for each` or a `catch` assigns."""
    return {s.var for s in _statements(body) if type(s) in (n.ForEach, n.Try)}


def _assignment_sites(body) -> dict:
    sites: dict = {}
    for s in _statements(body):
        if type(s) is n.Assign:
            sites.setdefault(s.name, []).append(s.value)
    return sites


class _DefiniteAssignment:
    """Walks a body in order, with the set of variables surely assigned at each point,
    noting in `unassigned` every local read where it may not be."""

    def __init__(self, locals_: set, unassigned: set, uses: dict):
        self.locals = locals_
        self.unassigned = unassigned
        self.uses = uses

    def reads(self, node, assigned) -> None:
        uses = self.uses
        for var in nodes_in(node):
            if type(var) is n.Var:
                name = var.name
                uses[name] = uses.get(name, 0) + 1
                if name in self.locals and name not in assigned:
                    self.unassigned.add(name)

    def block(self, body, assigned: frozenset) -> frozenset:
        for s in body:
            assigned = self.statement(s, assigned)
        return assigned

    def statement(self, s, assigned: frozenset) -> frozenset:
        t = type(s)
        if t is n.Assign:
            self.reads(s.value, assigned)
            return assigned | {s.name}
        if t is n.If:
            after = []
            for cond, body in s.branches:
                self.reads(cond, assigned)
                after.append(self.block(body, assigned))
            if s.orelse is None:
                return assigned
            after.append(self.block(s.orelse, assigned))
            return frozenset.intersection(*after)
        if t is n.ForEach:
            self.reads(s.iterable, assigned)
            self.block(s.body, assigned | {s.var})
            return assigned  # it may run no iteration, or leave by `break`
        if t is n.Try:
            done = self.block(s.body, assigned)
            # The handler may run after any statement of the block: only what was
            # assigned before the `try` is sure there.
            handled = self.block(s.handler, assigned | {s.var})
            return done & handled
        self.reads(s, assigned)  # a statement with expressions only
        return assigned


TEXT_OR_NULL = frozenset((str, NULL))
_RESULTS: dict = {}


def method_kinds(spec, arg_count: int) -> frozenset | None:
    """The kinds a builtin method's value can have: the union over every receiver type it
    takes (any other receiver is an error, registry.method_dispatcher), when each of its
    implementations is in the table below, else None."""
    if not _RESULTS:
        _RESULTS.update(_result_table())
    found = frozenset()
    for impl, low, high in spec.impls.values():
        kinds = _RESULTS.get(impl)
        if kinds is None:
            return None
        if low <= arg_count and (high is None or arg_count <= high):
            found |= kinds
    return found


def _result_table() -> dict:
    """What these builtins give back, read from their code (every path returns one of the
    kinds, or raises); tests/test_flow.py checks each against its docstring examples."""
    from .builtins import collection, common, lists, maps, text
    return {
        text.trim: TEXT, text.to_lower_case: TEXT, text.to_upper_case: TEXT,
        text.replace_all: TEXT, text.replace_first: TEXT, text.sub_string: TEXT,
        text.get_suffix: TEXT_OR_NULL, text.get_prefix: TEXT_OR_NULL,
        common.text_length: NUMBER, text.starts_with: BOOLEAN, text.ends_with: BOOLEAN,
        text.equals_ignore_case: BOOLEAN, common.text_contains: BOOLEAN,
        lists.list_contains: BOOLEAN, maps.map_contains: BOOLEAN,
        collection.coll_contains: BOOLEAN,
    }


class ResultMap:
    """A map variable whose size on return is bounded by counting (bounded_result)."""

    __slots__ = ("name", "puts", "base")

    def __init__(self, name: str, puts: frozenset, base: int):
        self.name = name
        self.puts = puts  # id() of each `put` statement that counts its text
        self.base = base  # the bound's constant part


def bounded_result(params, body, facts: Flow, makes_map) -> ResultMap | None:
    """The variable a function returns as a map it built itself, if there is one whose
    bound can be counted as it is built: assigned once, at the top level, a new empty map
    (`makes_map(expr)`); otherwise only the receiver of top-level `put` statements with a
    TEXT constant key and a TEXT, NUMBER, BOOLEAN or null value (each runs at most once),
    or returned as it is. Nothing else reads it, so nothing else can change it or keep it.
    Not an argument (the caller's object, which others may hold): before its assignment it
    is null, so a `return` there gives null.

    Its JSON size is then at most `base + 6 * (the characters of the TEXT values put)`,
    values.scalar_map_bound's bound summed over every `put` that can run."""
    returned = {s.value.name for s in _statements(body)
                if type(s) is n.Return and type(s.value) is n.Var}
    for name in sorted(returned - _bound_by_statements(body) - set(params) - {"input"}):
        assigns = [s for s in _statements(body) if type(s) is n.Assign and s.name == name]
        if len(assigns) != 1 or not any(s is assigns[0] for s in body) or \
                not makes_map(assigns[0].value):
            continue
        puts = [s for s in body if _counted_put(s, name, facts)]
        returns = sum(1 for s in _statements(body) if type(s) is n.Return
                      and type(s.value) is n.Var and s.value.name == name)
        if facts.uses.get(name, 0) == len(puts) + returns:
            base = 2 + sum(24 + 6 * len(s.expr.args[0].value) for s in puts)
            return ResultMap(name, frozenset(id(s) for s in puts), base)
    return None


def _counted_put(s, name: str, facts: Flow) -> bool:
    if type(s) is not n.ExprStmt or type(s.expr) is not n.MethodCall:
        return False
    call = s.expr
    if call.name.lower() != "put" or len(call.args) != 2 or type(call.receiver) is not n.Var \
            or call.receiver.name != name:
        return False
    key, value = call.args
    return type(key) is n.Literal and key.kind == "text" and facts.is_scalar(value) \
        and _mentions_count(value, name) == 0


def _mentions_count(node, name: str) -> int:
    return sum(1 for var in nodes_in(node) if type(var) is n.Var and var.name == name)


def mentions(node, name: str) -> bool:
    """Whether the variable `name` is read anywhere in `node` (a node, or a tuple of them)."""
    return any(type(var) is n.Var and var.name == name for var in nodes_in(node))


def nodes_in(node) -> list:
    """Every node in `node` (a node, or a tuple of them), itself and nested blocks included."""
    found, stack = [], [node]
    pop, push, keep, Node = stack.pop, stack.extend, found.append, n.Node
    while stack:
        item = pop()
        if type(item) is tuple or type(item) is list:
            push(item)
        elif isinstance(item, Node):
            keep(item)
            push(item._values(item))
    return found


# ---------------------------------------------------------------- what a form always gives

def concatenates(e: n.Node) -> bool:
    """Whether `e` is a `+` the compiler knows to be TEXT concatenation (reference §3)."""
    return type(e) is n.BinOp and e.op == "+" and (
        is_text_literal(e.left) or is_text_literal(e.right) or makes_text(e.left)
        or makes_text(e.right))


def is_text_literal(e: n.Node) -> bool:
    return type(e) is n.Literal and e.kind == "text"


def makes_text(e: n.Node) -> bool:
    """A text constant, or a `+` with one: its value is always TEXT (reference §3)."""
    while type(e) is n.BinOp and e.op == "+":
        if is_text_literal(e.right):
            return True
        e = e.left
    return is_text_literal(e)


def is_boolean(e: n.Node) -> bool:
    """A comparison, `&&`/`||`, `!` or a BOOLEAN constant: always a BOOLEAN."""
    if isinstance(e, n.BinOp):
        return e.op in _COMPARISONS
    if isinstance(e, n.Logic):
        return True
    if isinstance(e, n.Unary) and e.op == "!":
        return True
    return isinstance(e, n.Literal) and e.kind == "boolean"


def reads_record_by_field(module: n.Module, everything: list) -> bool:
    """Whether the module (`everything`: nodes_in(module)) uses the run's record only as
    `input.Name` reads: then nothing can keep, change or hand on the record itself, and
    each field can be checked as it is read (PreparedCall, run_helpers._field_value)
    instead of the whole record being checked and copied before the run. A module where
    `input` is also an argument or assigned is not followed."""
    uses = fields = 0
    for node in everything:
        t = type(node)
        if t is n.Var:
            uses += node.name == "input"
        elif t is n.Field:
            fields += type(node.receiver) is n.Var and node.receiver.name == "input"
        elif (t is n.Assign and node.name == "input") or (t is n.Param and node.name == "input") \
                or (t in (n.ForEach, n.Try) and node.var == "input"):
            return False
    return uses == fields
