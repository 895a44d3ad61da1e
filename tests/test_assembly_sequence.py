"""Assemblies of a body follow each other in number and date, with no gaps: GA-12 is not
convened while GA-11 is not recorded. A register may begin its record mid-series (its
first General Assembly numbered above 1), and earlier meetings recorded late fill the
series downwards."""

from __future__ import annotations

import pytest

from domain.errors import DateRefused
from tests.cli_support import Cli
from tests.histories import given_member


@pytest.fixture
def cli(store_url: str) -> Cli:
    """The command line on a fresh SQLite file or PostgreSQL schema, one host a member."""
    return Cli(store_url).given(lambda app: given_member(app, "Khabarovsk Territory", "RU"))


def test_a_meeting_that_skips_a_number_is_refused_naming_the_series_and_writes_nothing(cli):
    cli.ok("assembly", "convene", "GA", "10", "--host", "Khabarovsk Territory", "--on", "2014-09")

    cli.fails("assembly", "convene", "GA", "12", "--host", "Khabarovsk Territory", "--on", "2018-09",
              error="GA-12 cannot be convened: the General Assembly's meetings follow each other in number "
                    "with no gap, and neither GA-11 nor GA-13 is recorded", code=1)

    cli.ok("assembly", "convene", "GA", "11", "--host", "Khabarovsk Territory", "--on", "2016-09")
    cli.ok("assembly", "convene", "GA", "12", "--host", "Khabarovsk Territory", "--on", "2018-09")


def test_a_series_begun_at_1_refuses_a_gap(cli):
    cli.ok("assembly", "convene", "WC", "1", "--host", "Khabarovsk Territory", "--on", "1997-08")

    cli.fails("assembly", "convene", "WC", "3", "--host", "Khabarovsk Territory", "--on", "1999-08",
              error="WC-3 cannot be convened: the Working Committee's meetings follow each other in number "
                    "with no gap, and neither WC-2 nor WC-4 is recorded", code=1)


def test_earlier_meetings_recorded_late_fill_the_series_downwards_in_date_order(cli):
    cli.ok("assembly", "convene", "GA", "8", "--host", "Khabarovsk Territory", "--on", "2010-10")
    cli.ok("assembly", "convene", "GA", "7", "--host", "Khabarovsk Territory", "--on", "2008-10")

    cli.fails("assembly", "convene", "GA", "6", "--host", "Khabarovsk Territory", "--on", "2009-01",
              error="GA-6 on 2009-01 would follow GA-7 on 2008-10", code=1)
    cli.fails("assembly", "convene", "GA", "5", "--host", "Khabarovsk Territory", "--on", "2004-10",
              error="GA-5 cannot be convened: the General Assembly's meetings follow each other in number "
                    "with no gap, and neither GA-4 nor GA-6 is recorded", code=1)
    cli.fails("assembly", "convene", "GA", "10", "--host", "Khabarovsk Territory", "--on", "2014-10",
              error="GA-10 cannot be convened: the General Assembly's meetings follow each other in number "
                    "with no gap, and neither GA-9 nor GA-11 is recorded", code=1)
    assert [a["id"] for a in cli.json("assembly", "list")] == ["GA-7", "GA-8"]


def test_the_bodies_are_numbered_apart(gov):
    given_member(gov, "Khabarovsk Territory", "RU")
    gov.convene("GA", 4, "Khabarovsk Territory", "2002-09")

    gov.convene("WC", 1, "Khabarovsk Territory", "2002-10")

    with pytest.raises(DateRefused):
        gov.convene("WC", 3, "Khabarovsk Territory", "2003-10")
    with pytest.raises(DateRefused, match="GA-2 is not recorded$"):
        gov.convene("GA", 1, "Khabarovsk Territory", "1996-09")
