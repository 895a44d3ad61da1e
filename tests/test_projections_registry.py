"""Read models as a list: several may follow one event type and all run, in list order;
a read model registering a topic twice, a list holding one read model twice, or an
event type described twice for the history is refused when its module is imported;
and the history tells each event once, however many read models handle it."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

from near_gov.service import Governance
from projections import history, membership
from projections.batch import Batch
from projections.describe import describes
from projections.engine import READ_MODELS, Projector
from projections.registry import DuplicateRegistration, ReadModel, Registry

REGISTERED = "domain.region:RegionalGovernment.Registered"


def import_file(path: Path) -> None:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    spec.loader.exec_module(importlib.util.module_from_spec(spec))


def test_a_read_model_registering_a_topic_twice_is_refused_when_its_module_is_imported(tmp_path: Path):
    module = tmp_path / "twice.py"
    module.write_text(
        "from projections.registry import ReadModel\n"
        "MODEL = ReadModel('regions again')\n"
        f"@MODEL.handles({REGISTERED!r})\n"
        "def registered(b, e, pos, at): pass\n"
        f"@MODEL.handles({REGISTERED!r})\n"
        "def named(b, e, pos, at): pass\n")

    with pytest.raises(DuplicateRegistration) as refused:
        import_file(module)

    assert str(refused.value) == (
        f"read model 'regions again' registers {REGISTERED} twice (registered, then named); "
        "one function per topic: do both things in one")


def test_a_list_holding_one_read_model_twice_is_refused():
    model = ReadModel("spy")

    with pytest.raises(DuplicateRegistration) as same:
        Registry(membership.MODEL, model, model)
    with pytest.raises(DuplicateRegistration) as same_name:
        Registry(membership.MODEL, ReadModel("membership"))

    assert str(same.value) == "read model 'spy' is registered twice"
    assert str(same_name.value) == "read model 'membership' is registered twice"


def test_the_register_read_models_register_once_in_order():
    assert [m.name for m in READ_MODELS] == ["membership", "assemblies", "committees", "charter", "cases", "counts"]


def test_an_event_type_described_twice_for_the_history_is_refused():
    def registered_again(b: Batch, e: Any) -> Any:
        raise AssertionError("never registered, so never called")

    with pytest.raises(DuplicateRegistration) as refused:
        describes(REGISTERED)(registered_again)

    assert str(refused.value).startswith(f"the history registers {REGISTERED} twice (registered, then ")


def test_every_read_model_following_an_event_type_handles_it_in_list_order():
    gov = Governance("memory", actor="clerk")
    calls: list[tuple[str, str]] = []
    first, second = ReadModel("first"), ReadModel("second")

    @first.handles(REGISTERED)
    def first_saw(b: Batch, e: Any, pos: int, at: str) -> None:
        calls.append(("first", e.name))

    @second.handles(REGISTERED)
    def second_saw(b: Batch, e: Any, pos: int, at: str) -> None:
        calls.append(("second", e.name))

    gov.register_region("Rasun City", "KP")
    gov.register_region("Tottori Prefecture", "JP")
    projector = Projector(gov.recorder, gov.mapper, read_models=Registry(second, membership.MODEL, first))
    projector.catch_up()

    assert calls == [("second", "Rasun City"), ("first", "Rasun City"),
                     ("second", "Tottori Prefecture"), ("first", "Tottori Prefecture")]
    with projector.db.read() as c:
        assert [r["name"] for r in membership.regions(c)] == ["Tottori Prefecture", "Rasun City"]
        told = history.history(c, None, None, None, None, None, 0)
    assert [(h["subject"], h["summary"]) for h in told] == [("Rasun City", "registered (KP)"),
                                                           ("Tottori Prefecture", "registered (JP)")]
    projector.close()
    gov.close()

