"""Value objects: dates at their precision compare correctly with day dates."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidInput
from domain.values import (
    FuzzyDate,
    clean_name,
    country_code,
    decision_ref,
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


@pytest.mark.parametrize("bad", ["2002-13", "2002-00", "2002-09-00", "2002-02-30", "１９９６", "2002-０９", "02-09", "September 2002", "", "1800"])
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
    from pydantic import TypeAdapter  # noqa: PLC0415

    adapter = TypeAdapter(FuzzyDate)

    assert adapter.validate_python("1996-09") == FuzzyDate(1996, 9)
    assert adapter.dump_python(FuzzyDate(2005, 5, 2), mode="json") == "2005-05-02"
    assert adapter.dump_json(FuzzyDate(1996)) == b'"1996"'


def test_fuzzy_date_copies_and_pickles_to_the_same_date_and_shows_its_text():
    import copy  # noqa: PLC0415
    import pickle  # noqa: PLC0415

    day = FuzzyDate(1996, 9)

    assert pickle.loads(pickle.dumps(day)) == day == copy.deepcopy(day)
    assert str(copy.deepcopy(day)) == "1996-09"
    assert repr(day) == "FuzzyDate('1996-09')"


def test_name_key_is_the_casefolded_name_with_single_spaces():
    assert normalise_name("  Rasun \t  CITY ") == "rasun city"
    assert normalise_name("Jeju  Special Self-Governing Province") == "jeju special self-governing province"
