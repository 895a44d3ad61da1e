"""The decision kinds, declared once in near_gov.decisions: each declaration matches its
handler, its body comes from the process declarations, and every kind's stored payload
re-takes the decision on replay (the recorded effects are reproduced)."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from importlib import import_module
from typing import Any

import pytest

from domain.errors import InvalidInput
from domain.processes import PROCESSES
from domain.values import Body
from near_gov import decisions
from near_gov.decisions import DECISIONS, GA, KINDS, WC, DecisionKind, Param
from near_gov.replay import replay
from near_gov.service import Governance
from tests.histories import given_member, given_rasun_city_scheduled_for_ga4

ENVIRONMENT = "Sub-Committee on Environment"


def _committee(gov: Governance) -> None:
    given_member(gov, "Khabarovsk Territory", "RU")
    given_member(gov, "Toyama Prefecture", "JP")
    gov.convene("GA", 1, "Khabarovsk Territory", "1996-09")
    gov.decide("GA-1", "establish-committee", name=ENVIRONMENT)


def _reviewed(gov: Governance) -> str:
    given_member(gov, "Khabarovsk Territory", "RU")
    gov.convene("WC", 1, "Khabarovsk Territory", "1997-03")
    ref = gov.propose_amendment("1997-01", article="Article 5", text="Meetings are biennial.")["reference"]
    gov.decide("WC-1", "review-amendment", amendment=ref)
    gov.convene("GA", 2, "Khabarovsk Territory", "1998-10")
    return ref


def _proposed(gov: Governance) -> str:
    given_member(gov, "Khabarovsk Territory", "RU")
    gov.convene("WC", 1, "Khabarovsk Territory", "1997-03")
    gov.convene("GA", 2, "Khabarovsk Territory", "1998-10")
    return gov.propose_amendment("1997-01", article="Article 5", text="Meetings are biennial.")["reference"]


def _ga1(gov: Governance) -> None:
    given_member(gov, "Khabarovsk Territory", "RU")
    given_member(gov, "Toyama Prefecture", "JP")
    gov.convene("GA", 1, "Khabarovsk Territory", "1996-09")


#: For every kind: what to record first, then (assembly, parameters) of one decision of it.
EXAMPLES: dict[str, Callable[[Governance], tuple[str, dict[str, str]]]] = {
    "approve": lambda gov: ("GA-4", {"application": given_rasun_city_scheduled_for_ga4(gov)}),
    "reject": lambda gov: ("GA-4", {"application": given_rasun_city_scheduled_for_ga4(gov), "reason": "incomplete"}),
    "establish-committee": lambda gov: (_ga1(gov), ("GA-1", {"name": ENVIRONMENT, "coordinator": "Toyama Prefecture",
                                                              "purpose": "Environmental protection"}))[1],
    "elect-coordinator": lambda gov: (_committee(gov), ("GA-1", {"committee": ENVIRONMENT,
                                                                  "region": "Toyama Prefecture"}))[1],
    "amend-charter": lambda gov: (_ga1(gov), ("GA-1", {"article": "Article 5", "text": "Meetings are biennial."}))[1],
    "set-scope": lambda gov: (_ga1(gov), ("GA-1", {"countries": "CN,JP,KR,RU"}))[1],
    "resolve": lambda gov: (_ga1(gov), ("GA-1", {"text": "NEAR was officially launched"}))[1],
    "dissolve-committee": lambda gov: (_committee(gov), ("GA-1", {"committee": ENVIRONMENT}))[1],
    "review-amendment": lambda gov: (("WC-1", {"amendment": _proposed(gov)})),
    "adopt-amendment": lambda gov: ("GA-2", {"amendment": _reviewed(gov)}),
    "reject-amendment": lambda gov: ("GA-2", {"amendment": _proposed(gov), "reason": "no consensus"}),
    "discussion": lambda gov: (_ga1(gov), ("GA-1", {"text": "The establishment of the Secretariat was discussed"}))[1],
    "proposal": lambda gov: (_ga1(gov), ("GA-1", {"text": "Joint projects were proposed"}))[1],
    "report": lambda gov: (_ga1(gov), ("GA-1", {"text": "Activity report was presented"}))[1],
    "bid": lambda gov: (_ga1(gov), ("GA-1", {"text": "Gyeongsangbuk-do Province bid for hosting the Secretariat"}))[1],
}


def test_every_declared_kind_has_an_example_here():
    assert set(EXAMPLES) == set(DECISIONS)


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_a_declaration_names_its_handlers_parameters_exactly(kind: DecisionKind):
    module, _, name = kind.handler.partition(":")
    handler = getattr(import_module(module), name)
    parameters = list(inspect.signature(handler).parameters.values())[1:]  # after the `Deciding`

    assert [p.name for p in parameters] == [p.name for p in kind.params]
    assert [p.default is inspect.Parameter.empty for p in parameters] == [p.required for p in kind.params]


@pytest.mark.parametrize("kind", [k for k in KINDS if k.step], ids=lambda k: k.name)
def test_a_kind_that_is_a_process_step_is_taken_by_the_body_the_process_declares(kind: DecisionKind):
    assert kind.step is not None and kind.by is None
    process, step = kind.step

    assert kind.body == str(PROCESSES[process].step(step).by)


def test_the_bodies_named_in_declarations_are_the_assemblies_bodies():
    assert (GA, WC) == (Body.GENERAL_ASSEMBLY, Body.WORKING_COMMITTEE)
    assert {k.body for k in KINDS} == {GA, WC, None}


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_kind_re_takes_its_decision_from_the_stored_payload(name: str):
    gov = Governance("memory", actor="clerk")
    ident, params = EXAMPLES[name](gov)
    ref = gov.decide(ident, name, **params)["decision"]

    (stored,) = [d for d in gov.assembly(ident).decisions if d.ref == ref]
    recalled = DECISIONS[name].recalled(stored.params, stored.text)
    replayed = replay(gov, ident)

    assert stored.kind == name
    assert set(recalled) <= {p.name for p in DECISIONS[name].params}
    assert replayed["matches"] is True
    assert [d["ref"] for d in replayed["decisions"]][-1] == ref
    gov.close()


def test_a_payload_of_an_older_version_is_upcast_before_the_handler_gets_it():
    renamed = DecisionKind(
        "rename-test", "a test", (Param("region", "", main=True),), "tests.test_decisions:_unused",
        version=2, upcasters={1: lambda old: {"region": old["name"]}})

    assert renamed.stored({"region": "Rasun City"}) == {"region": "Rasun City", decisions.VERSION_KEY: "2"}
    assert renamed.recalled({"name": "Rasun City"}, "text") == {"region": "Rasun City"}
    assert renamed.recalled({"region": "Rasun City", decisions.VERSION_KEY: "2"}, "text") == {"region": "Rasun City"}


@pytest.mark.parametrize(("params", "message"), [
    ({"application": "APP-2002-001", "colour": "blue"}, "approve takes application, not colour"),
    ({}, "approve takes application, not no application"),
])
def test_a_decision_with_parameters_its_kind_does_not_take_is_refused(params: dict[str, Any], message: str):
    gov = Governance("memory", actor="clerk")
    given_rasun_city_scheduled_for_ga4(gov)
    head = gov.recorder.max_notification_id()

    with pytest.raises(InvalidInput) as refused:
        gov.decide("GA-4", "approve", **params)

    assert str(refused.value) == message
    assert gov.recorder.max_notification_id() == head
    gov.close()


def test_an_unknown_kind_is_refused():
    with pytest.raises(InvalidInput) as refused:
        decisions.decision_kind("annex")

    assert str(refused.value) == "unknown decision kind 'annex'"
