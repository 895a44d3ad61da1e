"""A decision cited as the cause of a change recorded later is of a kind that can cause
it: an election cites a Sub-Committee's establishment, an election decision or a
resolution; a withdrawal a resolution. Anything else is refused, naming the kinds."""

from __future__ import annotations

import pytest

from tests.cli_support import Cli, given_admitted


@pytest.fixture
def cli(store_url: str) -> Cli:
    def history(app) -> None:
        given_admitted(app)  # GA-4/D1 admitted Rasun City
        app.convene("GA", 5, "Khabarovsk Territory", "2004-09")
        app.decide("GA-5", "establish-committee", name="Sub-Committee on Tourism")
        app.decide("GA-5", "resolve", text="Rasun City is to coordinate tourism")
    return Cli(store_url).given(history)


def test_an_election_citing_an_admission_is_refused(cli):
    cli.fails("committee", "elect", "Sub-Committee on Tourism", "--coordinator", "Rasun City", "--on", "2004-09",
              "--decision", "GA-4/D1",
              error="GA-4/D1 is a decision to approve an application: it cannot cause the election of a coordinator; "
                    "cite a decision of kind establish-committee or elect-coordinator or resolve", code=1)


@pytest.mark.parametrize("decision", ["GA-5/D1", "GA-5/D2"])
def test_an_election_citing_an_establishment_or_a_resolution_is_recorded(cli, decision):
    cli.ok("committee", "elect", "Sub-Committee on Tourism", "--coordinator", "Rasun City", "--on", "2004-09",
           "--decision", decision)
    assert cli.json("committee", "show", "Sub-Committee on Tourism")["coordinators"][0]["cause"] == decision


def test_a_confirmed_withdrawal_citing_an_establishment_is_refused(cli):
    ref = cli.json("case", "notify-withdrawal", "Rasun City", "--on", "2005-01")["reference"]

    cli.fails("case", "confirm", ref, "--decision", "GA-5/D1",
              error="GA-5/D1 is a decision to establish a Sub-Committee: it cannot cause a withdrawal; cite a decision "
                    "of kind resolve", code=1)
    cli.ok("case", "confirm", ref, "--decision", "GA-5/D2")
