"""Random bad input to every write command: never a traceback, always exit 1 or 2
with one `Error:` line, and the store unchanged."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cli_support import Cli

# A slot of a command line, and values that can never make the command succeed.
BAD = {
    "date": ["2002-13", "2002-00", "yesterday", "", "2999-01-01", "02/09/2002", "1996-09-31", "１９９６"],
    "country": ["XX", "Korea", "", "K", "kor"],
    "name": ["", "   ", "x" * 201, "Rasun\x00City", "A\x1bB", "Rasun\u202eCity"],
    "text": ["", "   ", "x" * 4001, "bell\x07"],
    "ref": ["APP-1", "APP-2002-1", "'; DROP TABLE stored_events; --", "", "APP-2002-999"],
    "assembly": ["GA-0", "XX-1", "GA-", "GA-12", "WC-1'; --"],
    "number": ["0", "-1", "abc", "99999"],
    "status": ["admin", "", "members"],
    "decision": ["GA-4/D99", "GA-4-D1", "D1", "'; --"],
    "scope": ["", "XX,YY", "CN;JP", ",,"],
}

# Plausible values: real names, dates and references of the store below, or noise.
GOOD = {
    "date": st.sampled_from(["2011-05", "2004-01-02", "2010"]),
    "country": st.sampled_from(["MN", "KR", "kp"]),
    "name": st.sampled_from(["Gyeonggi-do Province", "Rasun City", "경상북도", 'Say "hi" \'; --']) | st.text(min_size=1, max_size=30),
    "text": st.text(min_size=1, max_size=40),
    "ref": st.sampled_from(["APP-2011-001", "APP-2011-002"]),
    "assembly": st.sampled_from(["GA-9", "WC-8"]),
    "number": st.sampled_from(["10", "9"]),
    "status": st.sampled_from(["member", "observer"]),
    "decision": st.sampled_from(["GA-9/D1"]),
    "scope": st.sampled_from(["CN,JP,KR,KP,MN,RU,US"]),
}

COMMANDS = [
    ("region register {name} --country {country}"),
    ("region record {name} --status {status} --since {date} --source {text}"),
    ("region rename {name} {name} --on {date}"),
    ("region withdraw {name} --on {date} --decision {decision}"),
    ("application submit {name} --country {country} --on {date}"),
    ("application screen {ref} --ineligible --reason {text}"),
    ("application schedule {ref} --assembly {assembly}"),
    ("application withdraw {ref} --reason {text}"),
    ("assembly convene GA {number} --host {name} --on {date}"),
    ("assembly attend {assembly} {name}"),
    ("assembly close {assembly} --on {date}"),
    ("assembly decide {assembly} --approve {ref}"),
    ("assembly decide {assembly} --reject {ref} --reason {text}"),
    ("assembly decide {assembly} --resolve {text}"),
    ("assembly decide {assembly} --set-scope {scope}"),
    ("assembly decide {assembly} --establish-committee {name} --coordinator {name}"),
    ("assembly decide {assembly} --amend-charter {name} --text {text}"),
    ("committee elect {name} --coordinator {name} --on {date}"),
    ("committee record {name} --source {text}"),
    ("case propose-amendment --article {name} --text {text} --on {date}"),
    ("case nominate {name} {name} --on {date}"),
]


@pytest.fixture(scope="module")
def cli(tmp_path_factory):
    cli = Cli(str(tmp_path_factory.mktemp("bad") / "register.db"))

    def history(gov):
        gov.register_region("Gyeonggi-do Province", "KR")
        gov.record_status("Gyeonggi-do Province", "member", "2009-10", "NEAR brochure")
        gov.convene("GA", 9, "Gyeonggi-do Province", "2012-09")
        gov.convene("WC", 8, "Gyeonggi-do Province", "2011-10")
        ref = gov.submit_application("Rasun City", "KP", "member", "2011-03")["reference"]
        gov.screen_application(ref, eligible=True)
        gov.submit_application("Dornod Province", "MN", "member", "2011-04")

    return cli.given(history)


@st.composite
def bad_command(draw):
    template = draw(st.sampled_from(COMMANDS))
    words = template.split()
    slots = [i for i, w in enumerate(words) if w.startswith("{")]
    spoilt = draw(st.sampled_from(slots))
    args = []
    for i, word in enumerate(words):
        if not word.startswith("{"):
            args.append(word)
            continue
        kind = word.strip("{}")
        args.append(draw(st.sampled_from(BAD[kind])) if i == spoilt else draw(GOOD[kind]))
    return args


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(args=bad_command())
def test_bad_input_to_a_write_command_is_refused_cleanly(cli, args):
    before = cli.events()

    result = cli(*args)

    assert result.exit_code in (1, 2), (args, result.output)
    assert isinstance(result.exception, SystemExit), (args, result.exception)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), (args, result.stderr)
    assert "Traceback" not in result.output
    assert cli.events() == before, args
