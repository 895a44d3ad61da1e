"""The file format of `near-gov load` (`near-gov/1`): YAML read with every node's line,
and one pydantic model per record kind that checks its fields and says which
`Governance` commands apply it. `near_gov.loader` rehearses and writes the records."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, Any, ClassVar, Literal, Union

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Tag,
    ValidationError,
    ValidationInfo,
    create_model,
    model_validator,
)
from pydantic_core import ErrorDetails, PydanticCustomError

from domain.count import count_of
from domain.errors import GovernanceError, InvalidInput
from domain.values import FuzzyDate, assembly_id, clean_name, clean_text, country_code, normalise_name
from near_gov import decisions
from near_gov.commands.charter import scope_codes
from near_gov.dating import documentary_text
from near_gov.decisions import DecisionKind
from near_gov.recordsyaml import parse as _parse
from near_gov.service import Governance

FORMAT = "near-gov/1"


# Field types: the domain's own checks, reported as pydantic errors so they keep their
# place (loc) in the record.

def _checked(check: Callable[..., Any], named: bool = False) -> BeforeValidator:
    """`named`: the check takes the field's name, to say which value is wrong."""
    def validate(value: Any, info: ValidationInfo) -> Any:
        try:
            return check(value, info.field_name) if named else check(value)
        except InvalidInput as e:
            raise PydanticCustomError("near_gov", str(e)) from None
    return BeforeValidator(validate)


def _date(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise InvalidInput(f"bad date {value!r}: use YYYY, YYYY-MM or YYYY-MM-DD, quoted")
    return str(FuzzyDate.parse(str(value)))


def _closed(value: Any) -> bool | str:
    if isinstance(value, bool):
        return value
    try:
        return _date(value)
    except InvalidInput:
        raise InvalidInput(f"closed is true, false or the closing date, not {value!r}") from None


def _scope(value: Any) -> str:
    return ",".join(scope_codes(",".join(map(str, value)) if isinstance(value, list) else value))


Name = Annotated[str, _checked(clean_name, named=True)]
Text = Annotated[str, _checked(clean_text, named=True)]
Country = Annotated[str, _checked(country_code)]
Date = Annotated[str, _checked(_date)]
DocDate = Annotated[str, _checked(documentary_text)]
AssemblyId = Annotated[str, _checked(assembly_id)]
Scope = Annotated[str, _checked(_scope)]
Closed = Annotated[bool | str, _checked(_closed)]
Count = Annotated[int, _checked(count_of)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _DecisionRecord(_Strict):
    """A record of one decision (a model per kind, made by `_decision_model`)."""
    decision_kind: ClassVar[DecisionKind]

    def command(self) -> tuple[str, dict[str, str]]:
        kind = self.decision_kind
        params: dict[str, str] = getattr(self, kind.option).model_dump(exclude_none=True)
        return kind.name, params


#: How the loader checks each kind of decision parameter (`Param.kind`).
_PARAM_TYPES: dict[str, Any] = {"name": Name, "text": Text, "scope": Scope}


def _decision_model(kind: DecisionKind) -> type[_DecisionRecord]:
    """A record of one decision: a mapping whose one key is the kind (underscored), its
    value the parameters as a mapping, or the one main parameter's value alone."""
    fields: dict[str, Any] = {
        p.name: (_PARAM_TYPES[p.kind], ...) if p.required else (_PARAM_TYPES[p.kind] | None, None)
        for p in kind.params
    }
    params = create_model(f"{kind.option}_params", __base__=_Strict, **fields)
    main = [p.name for p in kind.params if p.main]

    def as_mapping(value: Any) -> Any:
        return {main[0]: value} if len(main) == 1 and not isinstance(value, dict) else value

    record: dict[str, Any] = {kind.option: (Annotated[params, BeforeValidator(as_mapping)], ...)}
    model = create_model(kind.option, __base__=_DecisionRecord, **record)
    model.decision_kind = kind
    return model


_DECISIONS = {kind.option: _decision_model(kind) for kind in decisions.KINDS if kind.loadable}
if TYPE_CHECKING:
    Decision = _DecisionRecord  # each member of the union built at run time below is one
else:
    Decision = Annotated[
        Union[tuple(Annotated[model, Tag(key)] for key, model in _DECISIONS.items())],  # noqa: UP007 (no `|` of a tuple)
        Discriminator(lambda v: next(iter(v)) if isinstance(v, dict) and len(v) == 1 else None,
                      custom_error_type="near_gov",
                      custom_error_message=f"a decision is a mapping with one key of: {', '.join(_DECISIONS)}"),
    ]

#: Where a command's failure is reported: a path into the record (its line), and the command.
Step = tuple[tuple[Any, ...], Callable[[Governance], Any]]


class _Context:
    """What a record needs of others: committee records' purposes, by establishing assembly and name."""

    def __init__(self, records: list[Record]):
        self.purposes = {(r.established_by, normalise_name(r.name)): r.purpose for r in records
                         if isinstance(r, CommitteeRecord) and r.established_by and r.purpose}


class RegionRecord(_Strict):
    kind: Literal["region"]
    name: Name
    country: Country
    status: Literal["member", "observer"] | None = None
    since: DocDate | None = None
    inferred: Text | None = None
    source: Text

    @model_validator(mode="after")
    def _status_with_since(self) -> RegionRecord:
        if (self.status is None) != (self.since is None):
            raise PydanticCustomError("near_gov", "give status and since together, or neither")
        return self

    def steps(self, context: _Context) -> Iterator[Step]:
        yield (), lambda g: g.register_region(self.name, self.country)
        status, since, src = self.status, self.since, self.source
        if status and since:
            yield ("status",), lambda g: g.record_status(self.name, status, since, src, self.country, self.inferred)


class AssemblyRecord(_Strict):
    kind: Literal["assembly"]
    id: AssemblyId
    host: Name
    on: Date
    source: Text
    attendance: list[Name] = []
    decisions: list[Decision] = []
    closed: Closed = False

    def steps(self, context: _Context) -> Iterator[Step]:
        body, number = self.id.split("-")
        yield (), lambda g: g.convene(body, number, self.host, self.on, source=self.source)
        if self.attendance:
            yield ("attendance",), lambda g: g.attend(self.id, list(self.attendance))
        for i, decision in enumerate(self.decisions):
            kind, params = decision.command()
            if kind == "establish-committee" and "purpose" not in params:
                purpose = context.purposes.get((self.id, normalise_name(params["name"])))
                params = {**params, **({"purpose": purpose} if purpose else {})}
            yield ("decisions", i), _deciding(self.id, kind, params)
        if self.closed is not False:
            yield ("closed",), lambda g: g.close_assembly(self.id, None if self.closed is True else str(self.closed))


def _deciding(ident: str, kind: str, params: dict[str, str]) -> Callable[[Governance], Any]:
    return lambda g: g.decide(ident, kind, **params)


class CommitteeRecord(_Strict):
    kind: Literal["committee"]
    name: Name
    purpose: Text | None = None
    coordinator: Name | None = None
    coordinator_since: DocDate | None = None
    established_by: AssemblyId | None = None
    source: Text

    @model_validator(mode="after")
    def _coordinator_with_since(self) -> CommitteeRecord:
        if (self.coordinator is None) != (self.coordinator_since is None):
            raise PydanticCustomError("near_gov", "give coordinator and coordinator_since together, or neither")
        return self

    def steps(self, context: _Context) -> Iterator[Step]:
        if self.established_by:
            yield ("established_by",), self._check_established
        else:
            yield (), lambda g: g.record_committee(self.name, self.source, self.purpose)
        if self.coordinator:
            yield ("coordinator",), self._elect

    def _check_established(self, gov: Governance) -> None:
        """The assembly's decision created the committee: this record adds to it, never twice."""
        by = self.established_by
        try:
            committee = gov.committee(self.name)
        except GovernanceError:
            raise GovernanceError(f"{self.name} is not established: a record of {by} that establishes it "
                                  "must come before this one") from None
        if committee.cause is None or committee.cause.split("/")[0] != by:
            raise GovernanceError(f"{self.name} was established by {committee.cause or 'a document'}, not by {by}")
        if self.purpose and committee.purpose != self.purpose:
            raise GovernanceError(f"{self.name}: its purpose differs from the one {committee.cause} recorded")

    def _elect(self, gov: Governance) -> None:
        current = gov.committee(self.name).coordinator
        if current and normalise_name(current.region) == normalise_name(self.coordinator or "") \
                and str(current.since) == self.coordinator_since:
            return  # the establishing decision already elected it
        gov.elect_coordinator(self.name, self.coordinator or "", self.coordinator_since or "", source=self.source)


class SecretariatRecord(_Strict):
    kind: Literal["secretariat"]
    opened: Date
    seat: Name
    source: Text

    def steps(self, context: _Context) -> Iterator[Step]:
        yield (), lambda g: g.open_secretariat(self.opened, self.seat, self.source)


class CountRecord(_Strict):
    """A count the document states without naming the regions: `count` regions took
    `status` on `since`, from `countries` (left out where the document names none)."""

    kind: Literal["count"]
    status: Literal["member", "observer"]
    count: Count
    countries: list[Country] | None = None
    since: DocDate
    inferred: Text | None = None
    source: Text

    def steps(self, context: _Context) -> Iterator[Step]:
        countries = ",".join(self.countries) if self.countries is not None else None
        yield (), lambda g: g.record_count(self.count, self.status, self.since, self.source, countries,
                                           self.inferred)


Record = RegionRecord | AssemblyRecord | CommitteeRecord | SecretariatRecord | CountRecord

KINDS: dict[str, type[Record]] = {"region": RegionRecord, "assembly": AssemblyRecord,
                                  "committee": CommitteeRecord, "secretariat": SecretariatRecord,
                                  "count": CountRecord}


class _Located:
    """A validated record with its number and YAML node, to name both in errors."""

    def __init__(self, number: int, node: yaml.Node, record: Record):
        self.number, self.node, self.record = number, node, record

    def where(self, file: str, loc: tuple[Any, ...] = ()) -> str:
        return f"{file}: record {self.number} (line {_line(self.node, loc)})"


def _line(node: yaml.Node, loc: tuple[Any, ...]) -> int:
    """The line of the deepest node `loc` reaches; path parts that name no node are skipped."""
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == part), node)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
    return node.start_mark.line + 1


def _problem(error: ErrorDetails) -> str:
    path = ".".join(str(p) for i, p in enumerate(error["loc"]) if i == 0 or p != error["loc"][i - 1])
    if error["type"] == "near_gov":
        return error["msg"]
    if error["type"] == "missing":
        return f"missing field {path!r}"
    if error["type"] == "extra_forbidden":
        return f"unknown field {path!r}"
    return f"{path}: {error['msg']}"


def read_records(source: str | os.PathLike[str] | IO[str]) -> tuple[str, list[_Located]]:
    """Parse and check a whole file; nothing is touched. Returns its name and records."""
    file, text = _read(source)
    node, data = _parse(file, text)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InvalidInput(f"{file}: line {node.start_mark.line + 1 if node else 1}: "
                           f"not a governance records file: it must start with `format: {FORMAT}`")
    if set(data) != {"format", "records"} or not isinstance(data["records"], list):
        raise InvalidInput(f"{file}: line {node.start_mark.line + 1}: "
                           "a records file has exactly two keys, format and records (a list)")
    nodes = next(v for k, v in node.value if k.value == "records").value
    problems, records = [], []
    for number, (raw, item) in enumerate(zip(data["records"], nodes, strict=True), 1):
        kind = raw.get("kind") if isinstance(raw, dict) else None
        where = f"{file}: record {number} (line {item.start_mark.line + 1})"
        if kind not in KINDS:
            problems.append(f"{where}: a record needs a kind: one of {', '.join(KINDS)}"
                            + (f" (not {kind!r})" if kind is not None else ""))
            continue
        try:
            records.append(_Located(number, item, KINDS[kind].model_validate(raw)))
        except ValidationError as e:
            first = e.errors()[0]
            problems.append(f"{file}: record {number} (line {_line(item, first['loc'])}): {_problem(first)}")
    if problems:
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        raise InvalidInput(problems[0] + more)
    return file, records


def _read(source: str | os.PathLike[str] | IO[str]) -> tuple[str, str]:
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        try:
            return path.name, path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise InvalidInput(f"cannot read {path}: {getattr(e, 'strerror', None) or e}") from None
    text = source.read()
    return Path(getattr(source, "name", "<stream>")).name, text.decode() if isinstance(text, bytes) else text
