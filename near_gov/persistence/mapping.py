"""Store domain events as plain JSON and read them back with their declared types.

The library's default mapper stores `vars(event)` through a transcoder that only
knows a few tagged types, and on reading puts the decoded dict back without
checking it. Events here are annotated with stdlib and pydantic-compatible types
(fuzzy dates, country codes, decision references), so a pydantic `TypeAdapter`
per event class does both directions: it dumps each field to its JSON form and
validates stored JSON back into the declared types, failing loudly when stored
data no longer fits the class (a missing upcaster, say).

Custom types must accept their JSON form (usually a string) when validated from
Python objects, as pydantic's documented patterns do: stored JSON is decoded by
the transcoder first, then validated.

Snapshots are the exception: their `state` is an aggregate's `__dict__`, typed
`Any`, so it is written with type tags (see `_tag`) and restored exactly.
"""

from __future__ import annotations

from dataclasses import fields
from functools import cache
from typing import Any, get_type_hints
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import CanSnapshotAggregate, DomainEvent
from eventsourcing.persistence import (
    Mapper,
    MapperDeserialisationError,
    StoredEvent,
    Transcoder,
)
from eventsourcing.utils import get_topic, resolve_topic
from pydantic import ConfigDict, TypeAdapter, ValidationError
from pydantic_core import from_json
from typing_extensions import TypedDict

from domain.past import Past
from near_gov.persistence.codec import CompactJSONTranscoder

# Sets, as pydantic's `exclude` takes them; never changed.
_ORIGINATOR_FIELDS: set[str] = {"originator_id", "originator_version"}
_SNAPSHOT_FIELDS: set[str] = _ORIGINATOR_FIELDS | {"state"}
_TYPE, _DATA = "_type_", "_data_"
_CONTAINERS: dict[str, type] = {"tuple": tuple, "set": set, "frozenset": frozenset}


class _Codec:
    """What the mapper needs to know about one event class, worked out once (the class's
    own adapter when first needed: a process that only reads the class's events, as most
    commands do most classes, decodes them with `stored_fields` and never builds it)."""

    __slots__ = ("_adapter", "class_version", "cls", "field_names", "is_snapshot", "stored_fields", "topic")

    def __init__(self, cls: type) -> None:
        self.cls = cls
        self._adapter: TypeAdapter[Any] | None = None
        self.topic = get_topic(cls)
        self.class_version: int = getattr(cls, "class_version", 1)
        self.field_names = frozenset(f.name for f in fields(cls))
        self.is_snapshot = issubclass(cls, CanSnapshotAggregate)
        self.stored_fields = None if self.is_snapshot else _stored_fields_adapter(cls)

    @property
    def adapter(self) -> TypeAdapter[Any]:
        if self._adapter is None:
            self._adapter = TypeAdapter(self.cls)
        return self._adapter


def _stored_fields_adapter(cls: type) -> TypeAdapter[Any] | None:
    """A validator of an event's stored JSON as it is (every field but the
    originator's, each with its declared type, no other), parsing and validating in
    one pass; None where that does not apply (an upcast class, `__post_init__`)."""
    if getattr(cls, "class_version", 1) != 1 or getattr(cls, "__post_init__", None) not in _POST_INITS:
        return None
    try:
        hints = get_type_hints(cls, include_extras=True)
        spec = {f.name: hints[f.name] for f in fields(cls) if f.init and f.name not in _ORIGINATOR_FIELDS}
        if len(spec) + 2 != len(fields(cls)):
            return None
        stored = TypedDict(f"{cls.__name__}Stored", spec)  # type: ignore[misc]
        stored.__pydantic_config__ = ConfigDict(extra="forbid")  # type: ignore[attr-defined]
        return TypeAdapter(stored)
    except Exception:  # noqa: BLE001  (a type pydantic cannot build this for: the general path)
        return None


_codec = cache(_Codec)

#: The `__post_init__` of events the fast path of `to_domain_event` knows: none, or
#: the library's (which checks that the originator id is a UUID).
_POST_INITS = (None, DomainEvent.__post_init__)


@cache
def _adapter(cls: type) -> TypeAdapter[Any]:
    return TypeAdapter(cls)


class PydanticMapper(Mapper[UUID]):
    """Maps domain events to stored events through pydantic, keeping field types."""

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        cls: type = type(domain_event)
        codec = _codec(cls)
        if codec.is_snapshot:
            state = codec.adapter.dump_python(domain_event, mode="json", exclude=_SNAPSHOT_FIELDS)
            state["state"] = _tag(domain_event.state)
        else:
            state = codec.adapter.dump_python(domain_event, mode="json", exclude=_ORIGINATOR_FIELDS)
        if codec.class_version > 1:
            state["class_version"] = codec.class_version
        data = self.transcoder.encode(state)
        if self.compressor:
            data = self.compressor.compress(data)
        if self.cipher:
            data = self.cipher.encrypt(data)
        return StoredEvent(
            originator_id=domain_event.originator_id,
            originator_version=domain_event.originator_version,
            topic=codec.topic,
            state=data,
        )

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        cls = resolve_topic(stored_event.topic)
        codec = _codec(cls)
        if codec.stored_fields is not None and not self.cipher and not self.compressor \
                and type(self.transcoder) is CompactJSONTranscoder:
            # The common case: the stored JSON validated straight into the declared
            # field types (the same pydantic validation as below, without first
            # building the JSON as Python objects), then put in the event as the
            # dataclass validator would. Anything unusual takes the general path.
            try:
                state = codec.stored_fields.validate_json(stored_event.state)
            except ValidationError:
                pass
            else:
                if not isinstance(stored_event.originator_id, UUID):  # DomainEvent.__post_init__
                    return self._to_domain_event(stored_event, cls, codec)
                domain_event = object.__new__(cls)
                state["originator_id"] = stored_event.originator_id
                state["originator_version"] = stored_event.originator_version
                domain_event.__dict__.update(state)
                return domain_event
        return self._to_domain_event(stored_event, cls, codec)

    def _to_domain_event(self, stored_event: StoredEvent, cls: type, codec: _Codec) -> Any:
        try:
            data = stored_event.state
            if self.cipher:
                data = self.cipher.decrypt(data)
            if self.compressor:
                data = self.compressor.decompress(data)
            # The same JSON, parsed by pydantic's parser (several times faster on
            # the small documents events are) when it is ours that wrote it.
            state = from_json(data) if type(self.transcoder) is CompactJSONTranscoder \
                else self.transcoder.decode(data)
            version = state.pop("class_version", 1)
            while version < codec.class_version:
                getattr(cls, f"upcast_v{version}_v{version + 1}")(state)
                version += 1
            if codec.is_snapshot:
                state["state"] = _untag_state(state["state"], _past_keys(state["topic"]))
            if not state.keys() <= codec.field_names:
                unknown = ", ".join(sorted(state.keys() - codec.field_names))
                msg = f"stored fields not in the class (missing upcaster?): {unknown}"
                raise ValueError(msg)
            state["originator_id"] = stored_event.originator_id
            state["originator_version"] = stored_event.originator_version
            return codec.adapter.validate_python(state)
        except (ValueError, TypeError, AttributeError, KeyError, ValidationError) as e:
            msg = (
                f"Stored event {stored_event.topic} of {stored_event.originator_id} "
                f"version {stored_event.originator_version} does not fit its class: {_one_line(e)}"
            )
            raise MapperDeserialisationError(msg) from e


def _one_line(e: Exception) -> str:
    """What is wrong, on one line (pydantic's message spreads each field over lines)."""
    if isinstance(e, ValidationError):
        return "; ".join(f"{'.'.join(map(str, error['loc'])) or 'the event'}: {error['msg'].lower()}"
                         for error in e.errors())
    return " ".join(str(e).split())


def _tag(value: Any) -> Any:
    """Turn aggregate state into JSON that records every non-JSON type.

    Exact type checks, so that a str subclass (a country code) is tagged too.
    """
    kind: type = type(value)
    if value is None or kind in (str, int, float, bool):
        return value
    if kind is list:
        return [_tag(item) for item in value]
    if kind is Past:  # stored as the plain list it stands for
        return value.stored_form(_tag)
    if kind is dict and _TYPE not in value and all(type(key) is str for key in value):
        return {key: _tag(item) for key, item in value.items()}
    if kind is dict:
        return {_TYPE: "dict", _DATA: [[_tag(k), _tag(v)] for k, v in value.items()]}
    if kind in (tuple, set, frozenset):
        return {_TYPE: kind.__name__, _DATA: _tag_items(value)}
    return {_TYPE: get_topic(kind), _DATA: _adapter(kind).dump_python(value, mode="json")}


def _tag_items(items: Any) -> list[Any]:
    """`_tag` of each item; items all of one type of their own (a tuple of terms, say)
    dumped by pydantic in one call rather than one each."""
    items = list(items)
    kind: type = type(items[0]) if items else type(None)
    if len(items) > 1 and kind not in _PLAIN and all(type(item) is kind for item in items):
        topic = get_topic(kind)
        return [{_TYPE: topic, _DATA: data} for data in _list_adapter(kind).dump_python(items, mode="json")]
    return [_tag(item) for item in items]


def _untag(value: Any) -> Any:
    """Inverse of `_tag`. Plain JSON values (most items of a state's lists) are
    returned as they are, without a call each."""
    if type(value) is list:
        return [_untag(item) if type(item) in _NESTED else item for item in value]
    if type(value) is not dict:
        return value
    if _TYPE not in value:
        return {key: _untag(item) if type(item) in _NESTED else item for key, item in value.items()}
    kind, data = value[_TYPE], value[_DATA]
    if kind == "dict":
        return {_untag(k): _untag(v) for k, v in data}
    if kind in _CONTAINERS:
        return _CONTAINERS[kind](_untag_items(data))
    return _adapter(resolve_topic(kind)).validate_python(data)


def _untag_items(data: list[Any]) -> list[Any]:
    """`_untag` of each item; items all tagged with one type of their own (as
    `_tag_items` writes them) validated by pydantic in one call rather than one each."""
    first = data[0] if len(data) > 1 else None
    if type(first) is dict and (kind := first.get(_TYPE)) is not None and kind != "dict" \
            and kind not in _CONTAINERS and all(type(item) is dict and item.get(_TYPE) == kind for item in data):
        return _list_adapter(resolve_topic(kind)).validate_python([item[_DATA] for item in data])  # type: ignore[no-any-return]
    return [_untag(item) for item in data]


_NESTED = (list, dict)
#: Types `_tag` stores as they are, or as containers of its own.
_PLAIN = frozenset({str, int, float, bool, type(None), list, dict, tuple, set, frozenset, Past})


@cache
def _list_adapter(cls: type) -> TypeAdapter[Any]:
    return TypeAdapter(list[cls])  # type: ignore[valid-type]


@cache
def _past_keys(topic: str) -> frozenset[str]:
    """The state keys an aggregate class keeps as `Past` (its `past_state`)."""
    return frozenset(getattr(resolve_topic(topic), "past_state", ()))


def _untag_state(state: dict[str, Any], past: frozenset[str]) -> dict[str, Any]:
    """A snapshot's aggregate state; lists kept as `Past` stay in stored form, their
    items decoded (and validated, as by `_untag`) when first read."""
    if not past:
        return _untag(state)  # type: ignore[no-any-return]
    return {key: Past.stored(value, _untag) if key in past and type(value) is list else _untag(value)
            for key, value in state.items()}


class PydanticApplication(Application[UUID]):
    """An Application that stores its events with `PydanticMapper` and compact JSON."""

    def construct_transcoder(self) -> Transcoder:
        return CompactJSONTranscoder()

    def construct_mapper(self) -> Mapper[UUID]:
        return self.factory.mapper(
            transcoder=self.construct_transcoder(), mapper_class=PydanticMapper
        )
