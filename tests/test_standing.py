"""A change of a region's record dated earlier than facts already recorded is checked
against them: the coordinator terms it held (past ones too: a member throughout), the
meetings it hosted (a member on the day) and attended (a member or an observer). The
first fact it would leave without ground is named, and nothing is written."""

from __future__ import annotations

import pytest

from tests.cli_support import Cli
from tests.histories import given_member

TOURISM = "Sub-Committee on Tourism"


def _history(app) -> None:
    """Toyama coordinated Tourism from 2000-09 until Jeju's election in 2004-09 and hosted
    GA-1 (2002-09); Tianjin, an observer since 1998, attended it."""
    given_member(app, "Toyama Prefecture", "JP", since="1996-09")
    given_member(app, "Jeju Province", "KR", since="1996-09")
    app.register_region("Tianjin City", "CN")
    app.record_status("Tianjin City", "observer", "1998-01", "a list of observers")
    app.record_committee(TOURISM, source="a report")
    app.elect_coordinator(TOURISM, "Toyama Prefecture", "2000-09", source="minutes")
    app.convene("GA", 1, "Toyama Prefecture", "2002-09")
    app.attend("GA-1", ["Tianjin City"])
    app.elect_coordinator(TOURISM, "Jeju Province", "2004-09", source="minutes")


@pytest.fixture
def cli(store_url: str) -> Cli:
    return Cli(store_url).given(_history)


def test_a_withdrawal_recorded_late_is_refused_where_a_past_term_rests_on_the_membership(cli):
    cli.fails("region", "withdraw", "Toyama Prefecture", "--on", "1999-01", "--source", "a letter",
              error="Toyama Prefecture coordinated Sub-Committee on Tourism from 2000-09 until 2004-09: "
                    "the change would leave it not a member on 2000-09", code=1)


def test_a_correction_moving_a_membership_past_the_start_of_a_past_term_is_refused(cli):
    cli.fails("region", "record", "Toyama Prefecture", "--status", "member", "--since", "2001-01",
              "--source", "a later list",
              error="Toyama Prefecture coordinated Sub-Committee on Tourism from 2000-09 until 2004-09: "
                    "the change would leave it not a member on 2000-09", code=1)


def test_a_change_is_refused_where_the_region_hosted_a_meeting_after_its_date(cli):
    cli.fails("region", "withdraw", "Toyama Prefecture", "--on", "2002-01", "--source", "a letter",
              error="Toyama Prefecture coordinated Sub-Committee on Tourism from 2000-09 until 2004-09: "
                    "the change would leave it withdrawn from 2002-01", code=1)
    with cli.gov() as app:  # without the term, the hosting is what stands in the way
        app.register_region("Hyogo Prefecture", "JP")
        app.record_status("Hyogo Prefecture", "member", "1996-09", "a list")
        app.convene("GA", 2, "Hyogo Prefecture", "2004-09")
    cli.fails("region", "withdraw", "Hyogo Prefecture", "--on", "2003-01", "--source", "a letter",
              error="Hyogo Prefecture hosted GA-2 on 2004-09: the change would leave it not a member on that date",
              code=1)


def test_a_change_is_refused_where_the_region_attended_a_meeting_after_its_date(cli):
    cli.fails("region", "withdraw", "Tianjin City", "--on", "2001-01", "--source", "a letter",
              error="Tianjin City attended GA-1 on 2002-09: the change would leave it neither a member nor "
                    "an observer on that date", code=1)
    cli.fails("region", "record", "Tianjin City", "--status", "observer", "--since", "2003-01",
              "--source", "a later list",
              error="Tianjin City attended GA-1 on 2002-09: the change would leave it neither a member nor "
                    "an observer on that date", code=1)


def test_changes_that_leave_every_fact_standing_are_recorded(cli):
    cli.ok("region", "record", "Toyama Prefecture", "--status", "member", "--since", "1996-01", "--source", "a list")
    cli.ok("region", "record", "Tianjin City", "--status", "observer", "--since", "2002-09", "--source", "a list")
    cli.ok("region", "withdraw", "Tianjin City", "--on", "2003-01", "--source", "a letter")
    cli.ok("region", "withdraw", "Toyama Prefecture", "--on", "2005-01", "--source", "a letter")
    assert cli.json("region", "show", "Toyama Prefecture")["status"] == "withdrawn"


def test_a_confirmed_withdrawal_notice_is_checked_the_same_way(cli):
    ref = cli.json("case", "notify-withdrawal", "Tianjin City", "--on", "2001-01")["reference"]

    cli.fails("case", "confirm", ref,
              error="Tianjin City attended GA-1 on 2002-09: the change would leave it neither a member nor "
                    "an observer on that date", code=1)
