"""A checker of Frictionless Table Schema files, for the constraints the vendored standards use.

It refuses a schema using a type, format or constraint it does not know, so that a new version of a vendored
standard cannot pass unchecked: add the rule here, from https://specs.frictionlessdata.io/table-schema/.
"""

import datetime as dt
import re
from urllib.parse import urlparse

KNOWN_CONSTRAINTS = {"required", "unique", "pattern", "enum", "minLength", "maxLength", "minimum", "maximum"}
KNOWN_TYPES = {"string", "number", "integer", "date", "boolean"}
MISSING = ("",)


def _typed(field, cell):
    """The cell's value in the field's type, or a ValueError."""
    kind, form = field.get("type", "string"), field.get("format", "default")
    if kind == "string":
        if form == "email" and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", cell):
            raise ValueError("not an email")
        if form == "uri" and not all(urlparse(cell)[:2]):
            raise ValueError("not a uri")
        if form not in ("default", "email", "uri"):
            raise AssertionError(f"unknown string format {form}")
        return cell
    if kind == "number":
        return float(cell)
    if kind == "integer":
        return int(cell)
    if kind == "boolean":
        if cell not in ("true", "false", "True", "False", "TRUE", "FALSE", "1", "0"):
            raise ValueError("not a boolean")
        return cell.lower() in ("true", "1")
    if kind == "date":
        assert form == "default", f"unknown date format {form}"
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", cell):
            raise ValueError("not a date")
        return dt.date.fromisoformat(cell)
    raise AssertionError(f"unknown type {kind}")


def errors(schema, header, rows):
    """The problems of a table (header, rows of text cells) against a Table Schema, as readable strings."""
    names = [field["name"] for field in schema["fields"]]
    problems = [] if header == names else [f"header {header} is not {names}"]
    seen = {name: set() for name in names}
    for field in schema["fields"]:
        assert field.get("type", "string") in KNOWN_TYPES, field
        assert set(field.get("constraints", {})) <= KNOWN_CONSTRAINTS, field
    for line, row in enumerate(rows, start=2):
        if len(row) != len(names):
            problems.append(f"line {line}: {len(row)} cells")
            continue
        for field, cell in zip(schema["fields"], row, strict=True):
            name, rules = field["name"], field.get("constraints", {})
            where = f"line {line}, {name} = {cell!r}"
            if cell in schema.get("missingValues", MISSING):
                if rules.get("required") or name == schema.get("primaryKey"):
                    problems.append(f"{where}: required")
                continue
            try:
                value = _typed(field, cell)
            except ValueError:
                problems.append(f"{where}: not a {field.get('type')}")
                continue
            if "pattern" in rules and not re.fullmatch(rules["pattern"], cell):
                problems.append(f"{where}: does not match {rules['pattern']}")
            if "enum" in rules and cell not in rules["enum"]:
                problems.append(f"{where}: not one of {rules['enum']}")
            if "minLength" in rules and len(cell) < rules["minLength"]:
                problems.append(f"{where}: shorter than {rules['minLength']}")
            if "maxLength" in rules and len(cell) > rules["maxLength"]:
                problems.append(f"{where}: longer than {rules['maxLength']}")
            if "minimum" in rules and value < rules["minimum"]:
                problems.append(f"{where}: below {rules['minimum']}")
            if "maximum" in rules and value > rules["maximum"]:
                problems.append(f"{where}: above {rules['maximum']}")
            if rules.get("unique") or name == schema.get("primaryKey"):
                if cell in seen[name]:
                    problems.append(f"{where}: not unique")
                seen[name].add(cell)
    return problems
