"""`--format json` prints what `json.dumps(..., ensure_ascii=False, indent=2)` prints,
byte for byte, through a faster encoder (`near_gov.cli.output.to_json`)."""

import json
from datetime import UTC, date, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from near_gov.cli.output import _plain, to_json

leaves = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
          | st.text() | st.dates() | st.datetimes(timezones=st.just(UTC)))
values = st.recursive(leaves, lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
                      | st.dictionaries(st.text(max_size=5), inner, max_size=4), max_leaves=30)


def library(value):
    return json.dumps(value, ensure_ascii=False, indent=2, default=_plain)


@settings(max_examples=500, deadline=None)
@given(values)
def test_any_value_is_printed_as_the_library_prints_it(value):
    assert to_json(value) == library(value)


def test_a_roster_like_answer_with_empty_and_nested_parts():
    answer = {"as_of": date(1996, 12, 31), "known_at": None,
              "entries": [{"name": "Rasun \"City\"\n", "documented": True, "since": None, "n": 1.5},
                          {"name": "서울", "countries": ["KR", "JP"], "basis": {}, "more": []}],
              "counts": [], "at_least": [{"status": "member", "count": 29}],
              "at": datetime(2026, 12, 1, tzinfo=UTC), 1: "a key that is not text", "deep": [[[]], [{}]]}

    assert to_json(answer) == library(answer)
