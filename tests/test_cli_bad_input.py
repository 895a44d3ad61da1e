"""Random bad input to every write command: never a traceback, always exit 1 or 2
with one `Error:` line that is a refusal (not the catch-all for an unexpected
exception), and the store unchanged."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cli_support import Cli, cli_on

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

# Plausible values: real names, dates and references of the store below, or noise (not
# starting with "-": the command line reads that as an option, `-h` as asking for help).
_NOISE = st.text(min_size=1, max_size=30).filter(lambda s: not s.startswith("-"))
GOOD = {
    "date": st.sampled_from(["2011-05", "2004-01-02", "2010"]),
    "country": st.sampled_from(["MN", "KR", "kp"]),
    "name": st.sampled_from(["Gyeonggi-do Province", "Rasun City", "경상북도", 'Say "hi" \'; --'])
            | _NOISE,
    "text": _NOISE,
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


def history(gov):
    """Gyeonggi-do a member hosting GA-9 (with a resolution, GA-9/D1) and WC-8;
    APP-2011-001 eligible, APP-2011-002 submitted, APP-2011-003 scheduled for GA-9;
    the Sub-Committee on Culture on record."""
    gov.register_region("Gyeonggi-do Province", "KR")
    gov.record_status("Gyeonggi-do Province", "member", "2009-10", "NEAR brochure")
    gov.convene("GA", 9, "Gyeonggi-do Province", "2012-09")
    gov.convene("WC", 8, "Gyeonggi-do Province", "2011-10")
    ref = gov.submit_application("Rasun City", "KP", "member", "2011-03")["reference"]
    gov.screen_application(ref, eligible=True)
    gov.submit_application("Dornod Province", "MN", "member", "2011-04")
    ref = gov.submit_application("Primorsky Territory", "RU", "member", "2011-05")["reference"]
    gov.screen_application(ref, eligible=True)
    gov.schedule_application(ref, "GA-9")
    gov.decide("GA-9", "resolve", text="The Secretariat reports every year.")
    gov.record_committee("Sub-Committee on Culture", source="minutes")


@pytest.fixture(scope="module")
def cli(tmp_path_factory):
    return Cli(str(tmp_path_factory.mktemp("bad") / "register.db")).given(history)


# Each command with values that the register above accepts: spoiling any one slot is
# then the only fault of the command line.
VALID = [
    ("region register {name} --country {country}", ["Toyama Prefecture", "JP"]),
    ("region record {name} --status {status} --since {date} --source {text}",
     ["Rasun City", "member", "2011-05", "a letter"]),
    ("region rename {name} {name} --on {date}", ["Gyeonggi-do Province", "Gyeonggi Province", "2013-01"]),
    ("region withdraw {name} --on {date} --decision {decision}", ["Gyeonggi-do Province", "2013-01", "GA-9/D1"]),
    ("application submit {name} --country {country} --on {date}", ["Tianjin City", "CN", "2011-05"]),
    ("application screen {ref} --ineligible --reason {text}", ["APP-2011-002", "no letter"]),
    ("application schedule {ref} --assembly {assembly}", ["APP-2011-001", "GA-9"]),
    ("application withdraw {ref} --reason {text}", ["APP-2011-002", "withdrawn by letter"]),
    ("assembly convene GA {number} --host {name} --on {date}", ["10", "Gyeonggi-do Province", "2013-01"]),
    ("assembly attend {assembly} {name}", ["GA-9", "Gyeonggi-do Province"]),
    ("assembly close {assembly} --on {date}", ["GA-9", "2012-10"]),
    ("assembly decide {assembly} --approve {ref}", ["GA-9", "APP-2011-003"]),
    ("assembly decide {assembly} --reject {ref} --reason {text}", ["GA-9", "APP-2011-003", "no quorum"]),
    ("assembly decide {assembly} --resolve {text}", ["GA-9", "Meet again."]),
    ("assembly decide {assembly} --set-scope {scope}", ["GA-9", "CN,JP,KR,KP,MN,RU,US"]),
    ("assembly decide {assembly} --establish-committee {name} --coordinator {name}",
     ["GA-9", "Sub-Committee on Tourism", "Gyeonggi-do Province"]),
    ("assembly decide {assembly} --amend-charter {name} --text {text}", ["GA-9", "5", "Meet every two years."]),
    ("committee elect {name} --coordinator {name} --on {date}",
     ["Sub-Committee on Culture", "Gyeonggi-do Province", "2013-01"]),
    ("committee record {name} --source {text}", ["Sub-Committee on Energy", "minutes"]),
    ("case propose-amendment --article {name} --text {text} --on {date}", ["5", "Meet every two years.", "2013-01"]),
    ("case nominate {name} {name} --on {date}", ["Sub-Committee on Culture", "Gyeonggi-do Province", "2013-01"]),
]
# Well-formed values that name nothing in the register or a future date: the register
# refuses them (exit 1). Every other bad value is malformed (exit 2).
REFUSED = {"2999-01-01", "APP-2002-999", "GA-12", "GA-4/D99"}


def filled(template: str, values: list[str]) -> list[str]:
    words, slots = template.split(), iter(values)
    return [next(slots) if w.startswith("{") else w for w in words]


def spoilt(template: str, values: list[str]) -> list[tuple[list[str], str]]:
    """The command line with each slot in turn replaced by each bad value of its kind."""
    kinds = [w.strip("{}") for w in template.split() if w.startswith("{")]
    return [(filled(template, values[:i] + [bad] + values[i + 1:]), bad)
            for i, kind in enumerate(kinds) for bad in BAD[kind]]


def assert_refused_cleanly(cli: Cli, args: list[str], before: int, code: tuple[int, ...]) -> None:
    result = cli(*args)

    assert result.exit_code in code, (args, result.output)
    assert isinstance(result.exception, SystemExit), (args, result.exception)
    assert result.stdout == "", (args, result.stdout)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), (args, result.stderr)
    assert not lines[0].startswith("Error: unexpected ") and "please report" not in lines[0], (args, lines[0])
    assert "Traceback" not in result.output
    assert cli.events() == before, args


@pytest.mark.parametrize(("template", "values"), VALID, ids=[t for t, _ in VALID])
def test_each_command_line_of_the_table_is_accepted_as_it_stands(tmp_path, template, values):
    cli = cli_on(tmp_path).given(history)

    cli.ok(*filled(template, values))


@pytest.mark.parametrize(("template", "values"), VALID, ids=[t for t, _ in VALID])
def test_one_bad_value_in_a_valid_command_is_refused_with_its_exit_code(cli, template, values):
    before = cli.events()

    for args, bad in spoilt(template, values):
        assert_refused_cleanly(cli, args, before, code=(1,) if bad in REFUSED else (2,))


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

    assert_refused_cleanly(cli, args, before, code=(1, 2))
