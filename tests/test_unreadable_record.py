"""A write command that loads a record whose stored event was changed outside near-gov
(state that is not JSON, a field its class lacks, a field it needs missing) stops with
exit 4 and one line naming the event, and writes nothing; commands that do not load
that record still work."""

from __future__ import annotations

import pytest

from tests.cli_support import Cli, given_admitted
from tests.test_rebuild_safety import REGISTERED, RESTORE, Events

#: How the event that registered Rasun City is changed, and what the error says of it.
CHANGES = {
    "state not JSON": (b"\xff\xfe{not json", "expected value at line 1 column 1"),
    "a field its class lacks": (None, "stored fields not in the class (missing upcaster?): province"),
    "a field it needs missing": (None, "does not fit its class: country: field required;"),
}


def changed(state: bytes, change: str) -> bytes:
    if change == "state not JSON":
        return CHANGES[change][0]  # type: ignore[return-value]
    if change == "a field its class lacks":
        return state.replace(b'"country":', b'"province":"Primorye","country":')
    return state.replace(b'"country":"KP",', b"")


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_write_on_a_record_whose_event_was_changed_fails_with_exit_4_and_writes_nothing(store_url, change):
    cli = Cli(store_url).given(given_admitted)
    cli.ok("roster")
    events = Events(store_url)
    try:
        rasun_city = events.positions(REGISTERED)[1]
        state = events.get(rasun_city, "state")
        assert b'"name":"Rasun City"' in state and b'"country":"KP",' in state, state
        events.set(rasun_city, "state", changed(state, change))
    finally:
        events.close()
    result = cli("region", "rename", "Rasun City", "Rason City", "--on", "2010-01-01")
    assert result.exit_code == 4, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and result.stdout == "", result.output
    line = lines[0]
    assert line.startswith(f"Error: Stored event {REGISTERED} of "), line
    assert "does not fit its class: " in line and CHANGES[change][1] in line, line
    assert line.endswith(f"; it was changed outside near-gov: {RESTORE}"), line
    before = cli.events()
    cli.fails("region", "rename", "Rasun City", "Rason City", "--on", "2010-01-01", error=line[len("Error: "):], code=4)
    assert cli.events() == before
    # The rest of the register still takes commands.
    cli.ok("region", "register", "Tottori Prefecture", "--country", "JP")
    assert cli.events() > before
