"""Value objects: dates at their precision compare correctly with day dates."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidInput
from domain.values import (
    FuzzyDate,
    Status,
    clean_name,
    clean_text,
    country_code,
    decision_ref,
    membership_kind,
    normalise_name,
)


def test_dates_keep_their_precision():
    assert str(FuzzyDate.parse("1996-09")) == "1996-09"
    assert str(FuzzyDate.parse("1996")) == "1996"
    assert str(FuzzyDate.parse("2005-05-02")) == "2005-05-02"
    assert FuzzyDate.parse("1996-09").precision == "month"


def test_month_date_spans_its_month():
    sep = FuzzyDate.parse("2002-09")

    assert str(sep.first) == "2002-09-01" and str(sep.last) == "2002-09-30"
    assert FuzzyDate.parse("2002-08-31") < sep < FuzzyDate.parse("2002-09-30")
    assert FuzzyDate.parse("2002") < sep


@pytest.mark.parametrize("bad", ["2002-13", "2002-00", "2002-09-00", "2002-02-30", "１９９６", "2002-０９", "02-09",
                                 "September 2002", "", "1800"])
def test_bad_dates_are_refused(bad):
    with pytest.raises(InvalidInput):
        FuzzyDate.parse(bad)


@given(st.dates(min_value=__import__("datetime").date(1900, 1, 1)))
def test_day_dates_order_like_calendar_dates(d):
    assert FuzzyDate.parse(d).first == d
    assert FuzzyDate.parse(d.isoformat()) == FuzzyDate.parse(d)
    month = FuzzyDate.parse(f"{d.year}-{d.month:02d}")
    assert month.first <= d <= month.last


def test_countries_are_iso_codes():
    assert country_code(" kp ") == "KP"
    with pytest.raises(InvalidInput, match="unknown country 'XX'"):
        country_code("XX")


def test_names_compare_ignoring_case_and_spaces():
    assert normalise_name("  Rasun   CITY ") == normalise_name("Rasun City")
    assert clean_name("  Jeju  Special Self-Governing Province ") == "Jeju Special Self-Governing Province"


def test_names_refuse_control_characters_and_excess_length():
    with pytest.raises(InvalidInput, match="control"):
        clean_name("Rasun\x00City")
    with pytest.raises(InvalidInput, match="limit is 200"):
        clean_name("x" * 201)


def test_non_latin_names_are_kept_exactly():
    assert clean_name("경상북도") == "경상북도"
    assert clean_name("黑龙江省") == "黑龙江省"


def test_decision_references():
    assert decision_ref("ga-4/d2") == "GA-4/D2"
    with pytest.raises(InvalidInput):
        decision_ref("GA-4-D2")
    with pytest.raises(InvalidInput):
        decision_ref("GA-４/D2")  # digits are ASCII digits only


def test_fuzzy_date_is_validated_from_and_stored_as_its_text():
    """Events declare FuzzyDate fields: pydantic reads the text form and writes it back."""
    from pydantic import TypeAdapter

    adapter = TypeAdapter(FuzzyDate)

    assert adapter.validate_python("1996-09") == FuzzyDate(1996, 9)
    assert adapter.dump_python(FuzzyDate(2005, 5, 2), mode="json") == "2005-05-02"
    assert adapter.dump_json(FuzzyDate(1996)) == b'"1996"'


def test_fuzzy_date_copies_and_pickles_to_the_same_date_and_shows_its_text():
    import copy
    import pickle

    day = FuzzyDate(1996, 9)

    assert pickle.loads(pickle.dumps(day)) == day == copy.deepcopy(day)
    assert str(copy.deepcopy(day)) == "1996-09"
    assert repr(day) == "FuzzyDate('1996-09')"


def test_name_key_is_the_casefolded_name_with_single_spaces():
    assert normalise_name("  Rasun \t  CITY ") == "rasun city"
    assert normalise_name("Jeju  Special Self-Governing Province") == "jeju special self-governing province"


def test_date_with_a_day_but_no_month_is_refused():
    with pytest.raises(InvalidInput) as refused:
        FuzzyDate(1996, None, 15)

    assert str(refused.value) == "a date with a day needs a month"


def test_impossible_date_is_refused_naming_the_date_as_given():
    with pytest.raises(InvalidInput) as refused:
        FuzzyDate(2003, 2, 29)

    assert str(refused.value) == "no such date: 2003-02-29 (day is out of range for month)"


def test_dates_begin_in_1900():
    assert str(FuzzyDate(1900, 1, 1)) == "1900-01-01"
    assert str(FuzzyDate(1900)) == "1900"

    with pytest.raises(InvalidInput) as refused:
        FuzzyDate(1899, 12, 31)

    assert str(refused.value) == "date 1899-12-31 is before 1900"


def test_date_given_as_a_number_is_read_as_its_text():
    assert FuzzyDate.parse(1997) == FuzzyDate(1997)


def test_date_given_as_neither_text_nor_date_is_refused_as_a_bad_date():
    with pytest.raises(InvalidInput) as refused:
        FuzzyDate.parse(["1997"])

    assert str(refused.value) == "bad date ['1997']: use YYYY, YYYY-MM or YYYY-MM-DD (e.g. 1996-09)"


def test_unknown_country_is_refused_with_examples_from_the_default_scope():
    with pytest.raises(InvalidInput) as refused:
        country_code("YY")

    assert str(refused.value) == "unknown country 'YY': use an ISO 3166-1 alpha-2 code such as CN, JP, KR, KP, MN, RU"


def test_names_refuse_what_is_not_text_or_is_empty_by_the_name_of_the_field():
    with pytest.raises(InvalidInput) as not_text:
        clean_name(1996)
    with pytest.raises(InvalidInput) as empty:
        clean_name(" \t ")

    assert str(not_text.value) == "name must be text"
    assert str(empty.value) == "name must not be empty"


def test_name_of_exactly_200_characters_is_accepted_and_201_refused():
    assert clean_name("y" * 200) == "y" * 200

    with pytest.raises(InvalidInput) as refused:
        clean_name("y" * 201)

    assert str(refused.value) == "name is 201 characters long; the limit is 200"


def test_control_character_is_refused_naming_that_character():
    with pytest.raises(InvalidInput) as refused:
        clean_name("Rasun\x07City")

    assert str(refused.value) == "name contains a control or unassigned character (U+0007)"


def test_texts_keep_their_line_breaks_and_tabs_but_not_outer_spaces():
    assert clean_text("  first line\nsecond\tline \n") == "first line\nsecond\tline"


def test_texts_refuse_what_is_not_text_is_empty_or_too_long():
    with pytest.raises(InvalidInput) as not_text:
        clean_text(None)
    with pytest.raises(InvalidInput) as empty:
        clean_text("\n \n")
    with pytest.raises(InvalidInput) as too_long:
        clean_text("z" * 4001)

    assert str(not_text.value) == "text must be text"
    assert str(empty.value) == "text must not be empty"
    assert str(too_long.value) == "text is 4001 characters long; the limit is 4000"
    assert clean_text("z" * 4000) == "z" * 4000


def test_texts_refuse_control_characters_other_than_line_breaks_and_tabs():
    with pytest.raises(InvalidInput) as refused:
        clean_text("a letter\n\x1b[31m")

    assert str(refused.value) == "text contains a control or unassigned character (U+001B)"


def test_membership_kind_is_member_or_observer_and_nothing_else():
    assert membership_kind(" Observer ") == Status.OBSERVER

    with pytest.raises(InvalidInput) as refused:
        membership_kind("withdrawn")

    assert str(refused.value) == "bad status 'withdrawn': use member or observer"


def test_the_last_day_of_every_month_is_the_calendars_up_to_year_9999():
    import calendar

    from domain.values import month_end

    for year in (1, 1900, 1996, 2000, 2024, 9999):
        for month in range(1, 13):
            assert month_end(year, month) == date(year, month, calendar.monthrange(year, month)[1])


def test_a_date_in_the_last_year_a_date_can_hold_has_a_last_day():
    assert FuzzyDate(9999).last == date(9999, 12, 31)
    assert FuzzyDate(9999, 12).last == date(9999, 12, 31)
