"""Merge fields in rule arguments: `#{Contacts.Email}` takes the value from the record."""

from __future__ import annotations

import re
from dataclasses import dataclass

from delugelang.records.backend import FIELD_NAME
from delugelang.values import to_text
from delugelang.workflow.conditions import field_value

_MERGE = re.compile(r"#\{([^{}]*)\}")


class MergeError(ValueError):
    """A malformed merge field; `offset` is where it starts in the text."""

    def __init__(self, message: str, offset: int):
        super().__init__(message)
        self.offset = offset


@dataclass(frozen=True)
class Template:
    """An argument value: plain text with merge fields, or one merge field alone (which
    passes the field's value as it is: a number stays a number, an empty field is null)."""

    text: str
    fields: tuple[tuple[int, int, str], ...]  # (start, end, field API name)

    def render(self, record: dict):
        if len(self.fields) == 1 and self.fields[0][:2] == (0, len(self.text)):
            return field_value(record, self.fields[0][2])
        out, pos = [], 0
        for start, end, field in self.fields:
            out.append(self.text[pos:start])
            value = field_value(record, field)
            if isinstance(value, dict):
                value = value.get("name", value.get("id"))
            out.append("" if value is None else to_text(value))
            pos = end
        out.append(self.text[pos:])
        return "".join(out)


def parse_template(text, module: str) -> Template:
    """Parse `text`; every merge field must name `module` and a field API name."""
    if not isinstance(text, str):
        return Template(str(text), ())
    fields = []
    for m in _MERGE.finditer(text):
        inner = m.group(1).strip()
        prefix, dot, field = inner.partition(".")
        if not dot or not field:
            raise MergeError(f"merge field #{{{inner}}} must look like #{{{module}.Field_Name}}",
                             m.start())
        if prefix.lower() != module.lower():
            raise MergeError(f"merge field #{{{inner}}} names the module {prefix!r}, but the "
                             f"rule is on {module}", m.start())
        field = field.strip().replace(" ", "_")
        if not FIELD_NAME.match(field):
            raise MergeError(f"merge field #{{{inner}}}: {field!r} is not a field API name",
                             m.start())
        fields.append((m.start(), m.end(), field))
    rest = _MERGE.sub("", text)
    if "#{" in rest:
        raise MergeError("a merge field is not closed with '}'", text.index("#{", 0))
    return Template(text, tuple(fields))
