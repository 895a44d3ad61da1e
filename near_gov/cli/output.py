"""Showing results: aligned tables for people, one JSON document or CSV for scripts.

Commands hand over plain data in DESIGN.md's shapes (dates already ISO 8601 at their
precision); nothing here knows the domain. Tables come from `tabulate`, imported only
when a table is drawn."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

import click

#: Longest cell of a table whose columns are not chosen; longer text ends in "…"
#: (JSON and CSV keep it whole).
CELL_WIDTH = 60

_UTC_STAMP = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?\+00:00$")


class Column(NamedTuple):
    """A table column: its header, the row's key (or a function of the row), and the
    width past which its text is cut (None: never)."""

    header: str
    key: str | Callable[[Mapping[str, Any]], Any]
    width: int | None = None


#: Beside the actor where the store records who wrote the events (PostgreSQL).
DB_ROLE = Column("DB role", "db_role")


def with_db_role(columns: Sequence[Column], rows: Sequence[Mapping[str, Any]], after: str) -> list[Column]:
    """`columns` with the database role beside column `after`, where any row has one
    (only PostgreSQL records it: elsewhere the table says nothing of it)."""
    if not any(row.get("db_role") for row in rows):
        return list(columns)
    at = next(i for i, column in enumerate(columns) if column.key == after) + 1
    return [*columns[:at], DB_ROLE, *columns[at:]]


def _plain(value: Any) -> Any:
    isoformat = getattr(value, "isoformat", None)
    return isoformat() if callable(isoformat) else str(value)


def to_json(data: Any) -> str:
    """`json.dumps(data, ensure_ascii=False, indent=2, default=_plain)`, byte for byte, at
    the speed of the C encoder: the library's encoder takes its pure-Python path whenever
    it indents (a 1,000-entry roster: 19 ms against 2), so here every container whose
    items are all leaves is encoded by the C encoder with the indentation as its item
    separator, and only the containers holding containers are walked in Python."""
    return _indented(data, "\n")


def _leaf(value: Any) -> bool:
    return not isinstance(value, (dict, list, tuple))


def _indented(value: Any, newline: str) -> str:
    """`value` as JSON at the depth whose line break and indentation is `newline`."""
    if isinstance(value, dict) and value and all(type(k) is str for k in value):
        inner = newline + "  "
        if all(_leaf(v) for v in value.values()):
            return "{" + inner + _compact(value, inner)[1:-1] + newline + "}"
        items = (_compact(k, inner) + ": " + _indented(v, inner) for k, v in value.items())
        return "{" + inner + ("," + inner).join(items) + newline + "}"
    if isinstance(value, (list, tuple)) and value:
        inner = newline + "  "
        if all(_leaf(v) for v in value):
            return "[" + inner + _compact(value, inner)[1:-1] + newline + "]"
        return "[" + inner + ("," + inner).join(_indented(v, inner) for v in value) + newline + "]"
    if isinstance(value, dict):  # empty, or keys that are not text: as the library does it
        return json.dumps(value, ensure_ascii=False, indent=2, default=_plain).replace("\n", newline)
    return _compact(value, newline)


def _compact(value: Any, inner: str) -> str:
    """JSON by the C encoder, items of a (flat) container separated by a line at `inner`."""
    encoder = _ENCODERS.get(inner)
    if encoder is None:
        encoder = _ENCODERS[inner] = json.JSONEncoder(ensure_ascii=False, separators=("," + inner, ": "),
                                                      default=_plain).encode
    return encoder(value)


#: An encoder per indentation (made once: making one costs more than encoding a roster entry).
_ENCODERS: dict[str, Callable[[Any], str]] = {}


def cell(value: Any) -> str:
    """One value as table or CSV text: nothing for None, lists joined by commas."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(cell(v) for v in value)
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {cell(v)}" for k, v in value.items() if v not in (None, "", [], {}))
    if isinstance(value, (str, int, float)):
        return str(value)
    return str(_plain(value))


def _for_people(value: Any, width: int | None) -> str:
    """A table cell: a recorded time to the second, long text cut at `width`."""
    text = " ".join(cell(value).split())
    stamp = _UTC_STAMP.match(text)
    if stamp:
        return stamp.group(1) + "Z"
    return text if width is None or len(text) <= width else text[: width - 1] + "…"


def _value(row: Mapping[str, Any], key: str | Callable[[Mapping[str, Any]], Any]) -> Any:
    return key(row) if callable(key) else row.get(key)


def _keys(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    return list(dict.fromkeys(k for row in rows for k in row))


def _heading(key: str) -> str:
    return "ID" if key == "id" else key.replace("_", " ").capitalize()


def table(rows: Sequence[Mapping[str, Any]], columns: Sequence[Column] | None = None) -> str:
    """Rows as an aligned table under a header; `(none)` when there are no rows.
    Without `columns`, every key is a column and long text is cut at CELL_WIDTH."""
    if not rows:
        return "(none)"
    # tabulate has no type hints of its own (the types-tabulate stubs would give them).
    from tabulate import tabulate  # noqa: PLC0415 - costs 0.1 s of start-up

    columns = columns or [Column(_heading(k), k, CELL_WIDTH) for k in _keys(rows)]
    body = [[_for_people(_value(row, c.key), c.width) for c in columns] for row in rows]
    text: str = tabulate(body, headers=[c.header for c in columns], tablefmt="simple", disable_numparse=True)
    return text


def record(data: Mapping[str, Any]) -> str:
    """A dict as `Field:  value` lines, then each list of records as a titled table."""
    from tabulate import tabulate  # noqa: PLC0415 - costs 0.1 s of start-up

    pairs, parts = [], []
    for key, value in data.items():
        if isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
            parts.append(f"{_heading(key)}:\n{table(value)}")
        elif isinstance(value, Mapping) and value:
            parts.append(f"{_heading(key)}:\n{record(value)}")
        else:
            pairs.append([_heading(key) + ":", _for_people(value, None)])
    head = tabulate(pairs, tablefmt="plain", disable_numparse=True) if pairs else ""
    return "\n\n".join(p for p in (head, *parts) if p)


def case_record(data: Mapping[str, Any]) -> str:
    """A case (an application, an amendment, ...) for people: its facts, its history and
    the steps that may come next, with who takes them."""
    facts = {k: v for k, v in data.items() if k not in ("history", "next")}
    steps = [f"  {s['step']} (by {s['by']})" for s in data.get("next", [])]
    return "\n\n".join([
        record(facts),
        "History:\n" + table(data.get("history", [])),
        "Next steps:\n" + ("\n".join(steps) or "  none: the case is closed"),
    ])


def flatten(row: Mapping[str, Any], fields: Sequence[str] = ()) -> dict[str, Any]:
    """A JSON row as CSV columns, each cell one value a spreadsheet takes:

    - a list of values is one cell, its values joined by "; " (`former_names`, `scope`);
    - a nested record becomes a column per field, named `key.field`;
    - a list of records becomes a column per field (`decisions.ref`, `decisions.kind`,
      `decisions.text`), each holding that field of every record, in order, joined by
      "; " (the exact structure is in `--format json`).

    `fields` are the declared columns: they tell a list of records that is empty from a
    list of values."""
    found: dict[str, Any] = {}
    for key, value in row.items():
        records = (isinstance(value, list) and bool(value) and all(isinstance(v, Mapping) for v in value)) \
            or (value == [] and any(f.startswith(f"{key}.") for f in fields))
        if isinstance(value, Mapping):
            found.update({f"{key}.{k}": v for k, v in flatten(value).items()})
        elif records:
            subkeys = dict.fromkeys([f[len(key) + 1:] for f in fields if f.startswith(f"{key}.")]
                                    + [k for item in value for k in item])
            found.update({f"{key}.{k}": "; ".join(cell(item.get(k)) for item in value) for k in subkeys})
        elif isinstance(value, (list, tuple)):
            found[key] = "; ".join(cell(v) for v in value)
        else:
            found[key] = cell(value)
    return found


def to_csv(rows: Sequence[Mapping[str, Any]], fields: Sequence[str] | None = None) -> str:
    """Rows as CSV: a header row, even when there are no rows, then one line per row
    (see `flatten`). The header is `fields` (every column of the command's JSON shape),
    then any column the rows have beyond them."""
    import csv  # noqa: PLC0415 - only for CSV output

    declared = list(fields or ())
    flat = [flatten(row, declared) for row in rows]
    keys = list(dict.fromkeys(declared + [k for row in flat for k in row]))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(keys)
    for row in flat:
        writer.writerow([row.get(k, "") for k in keys])
    return buffer.getvalue()


def show_list(fmt: str, data: Any, *, rows: Sequence[Mapping[str, Any]] | None = None,
              columns: Sequence[Column] | None = None, fields: Sequence[str] | None = None,
              title: str | None = None) -> None:
    """Show a list result. `rows` is the list inside `data` (default: `data` itself);
    `columns` the table's, `fields` the CSV columns of the rows' JSON shape (the header
    row, also when there are no rows)."""
    rows = data if rows is None else rows
    if fmt == "json":
        click.echo(to_json(data))
    elif fmt == "csv":
        click.echo(to_csv(rows, fields), nl=False)
    else:
        click.echo((f"{title}\n\n" if title else "") + table(rows, columns))


def show_record(fmt: str, data: Mapping[str, Any], render: Callable[[Any], str] = record) -> None:
    """Show one record: JSON, or `render(data)` for people."""
    click.echo(to_json(data) if fmt == "json" else render(data))


def show_done(fmt: str, data: Any, sentence: str) -> None:
    """Show what a write command created or changed: JSON, or one sentence."""
    click.echo(to_json(data) if fmt == "json" else sentence)
