"""`near-gov case`: the governance processes other than admission, each a case with a
reference: Charter amendments (AMD-), coordinator elections (ELE-), withdrawals (WDR-).
Steps that an assembly takes are decisions: see `near-gov assembly decide`."""

from __future__ import annotations

import click

from near_gov.cli.base import Env, Group, country_option, format_option, pass_env
from near_gov.cli.output import case_record, show_done, show_list, show_record

#: The CSV columns of `case list` and `application list`.
CASE_FIELDS = ["reference", "process", "region", "country", "subject", "kind", "state", "since", "opened",
               "assembly", "decision"]


@click.group(cls=Group)
def case() -> None:
    """Charter amendment, coordinator election and withdrawal cases.

    `near-gov tasks` lists what awaits action in every open case.

    \b
    Example:
      near-gov case propose-amendment --article Membership --text "Members are regional governments." \\
        --on 2011-03
    """


def _opened(fmt: str, done: dict[str, str]) -> None:
    show_done(fmt, done, done["reference"])


def _stepped(fmt: str, done: dict[str, str]) -> None:
    show_done(fmt, done, f"{done['reference']} is {done.get('state', 'done')}.")


@case.command("propose-amendment")
@click.option("--article", metavar="ARTICLE", help="The article to amend (with --text).")
@click.option("--text", metavar="TEXT", help="Its proposed new text.")
@click.option("--scope", metavar="CC,CC,...", help="Or: a new membership scope (eligible countries).")
@click.option("--on", "on", required=True, metavar="DATE", help="Date of the proposal.")
@click.option("--note", metavar="TEXT", help="Who proposed it, or a reference to the letter.")
@format_option()
@pass_env
def propose_amendment(env: Env, article: str | None, text: str | None, scope: str | None, on: str,
                      note: str | None, fmt: str) -> None:
    """Open a Charter amendment case; prints its reference.

    A Working Committee meeting reviews it, a General Assembly adopts or rejects it
    (see `near-gov assembly decide`).

    \b
    Example:
      near-gov case propose-amendment --scope CN,JP,KR,KP,MN,RU,KZ --on 2011-03
    """
    _opened(fmt, env.gov.propose_amendment(on, article=article, text=text, scope=scope, note=note))


@case.command()
@click.argument("committee")
@click.argument("region")
@click.option("--on", "on", required=True, metavar="DATE", help="Date of the nomination.")
@country_option("REGION")
@format_option()
@pass_env
def nominate(env: Env, committee: str, region: str, on: str, country: str | None, fmt: str) -> None:
    """Nominate a coordinator; prints the case reference.

    REGION must be a member on the date; the Sub-Committee's members then elect or decline.
    REGION may be a former name; --country settles a name held in two countries.

    \b
    Example:
      near-gov case nominate "Sub-Committee on Tourism" "Toyama Prefecture" --on 2011-02
    """
    _opened(fmt, env.gov.nominate_coordinator(committee, region, on, country=country))


@case.command()
@click.argument("ref")
@click.option("--on", "on", required=True, metavar="DATE", help="Date of the election.")
@click.option("--decision", metavar="REF", help="The decision that elected it, if an assembly did.")
@format_option()
@pass_env
def elect(env: Env, ref: str, on: str, decision: str | None, fmt: str) -> None:
    """Record that a nominee was elected coordinator.

    \b
    Example:
      near-gov case nominate "Sub-Committee on Tourism" "Toyama Prefecture" --on 2011-02
      near-gov case elect ELE-2011-001 --on 2011-05
    """
    done = env.gov.elect_nominee(ref, on, decision=decision)
    show_done(fmt, done, f"{done['coordinator']} coordinates the {done['committee']} since {done['since']}.")


@case.command()
@click.argument("ref")
@click.option("--on", "on", required=True, metavar="DATE", help="Date of the vote.")
@click.option("--reason", required=True, metavar="TEXT", help="Why the nominee was not elected.")
@format_option()
@pass_env
def decline(env: Env, ref: str, on: str, reason: str, fmt: str) -> None:
    """Record that a nominee was not elected.

    \b
    Example:
      near-gov case nominate "Sub-Committee on Tourism" "Toyama Prefecture" --on 2011-02
      near-gov case decline ELE-2011-001 --on 2011-05 --reason "no quorum"
    """
    _stepped(fmt, env.gov.decline_nomination(ref, on, reason))


@case.command("notify-withdrawal")
@click.argument("region")
@click.option("--on", "on", required=True, metavar="DATE", help="Date of the region's notice.")
@click.option("--source", metavar="TEXT", help="The notice, e.g. a letter's reference.")
@country_option("REGION")
@format_option()
@pass_env
def notify_withdrawal(env: Env, region: str, on: str, source: str | None, country: str | None, fmt: str) -> None:
    """Open a withdrawal case; prints its reference.

    The region's notice opens it; the Secretariat confirms it, or the region retracts it.
    REGION may be a former name; --country settles a name held in two countries.

    \b
    Example:
      near-gov case notify-withdrawal "Rasun City" --on 2012-01 --source "letter of 2012-01-10"
      near-gov case notify-withdrawal "Amur Region" --country RU --on 2012-01
    """
    _opened(fmt, env.gov.notify_withdrawal(region, on, source=source, country=country))


@case.command()
@click.argument("ref")
@click.option("--on", "on", metavar="DATE", help="When the withdrawal takes effect.  [default: the notice's date]")
@click.option("--decision", metavar="REF", help="The decision that took note of it, if any.")
@format_option()
@pass_env
def confirm(env: Env, ref: str, on: str | None, decision: str | None, fmt: str) -> None:
    """Confirm a withdrawal: the region becomes withdrawn.

    \b
    Example:
      near-gov case notify-withdrawal "Rasun City" --on 2012-01 --source "letter of 2012-01-10"
      near-gov case confirm WDR-2012-001 --on 2012-03
    """
    done = env.gov.confirm_withdrawal(ref, on=on, decision=decision)
    show_done(fmt, done, f"{done['region']} is withdrawn since {done['since']} ({done['reference']}).")


@case.command()
@click.argument("ref")
@click.option("--reason", required=True, metavar="TEXT", help="The applicant's reason.")
@click.option("--on", "on", metavar="DATE", help="Date of the withdrawal.  [default: today]")
@format_option()
@pass_env
def withdraw(env: Env, ref: str, reason: str, on: str | None, fmt: str) -> None:
    """Withdraw a proposal or nomination, or retract a notice.

    \b
    Example:
      near-gov case propose-amendment --scope CN,JP,KR,KP,MN,RU,KZ --on 2011-03
      near-gov case withdraw AMD-2011-001 --reason "superseded"
    """
    _stepped(fmt, env.gov.withdraw_case(ref, reason, on=on))


@case.command()
@click.argument("ref")
@format_option()
@pass_env
def show(env: Env, ref: str, fmt: str) -> None:
    """Show a case, its history and its next steps.

    \b
    Example:
      near-gov case propose-amendment --scope CN,JP,KR,KP,MN,RU,KZ --on 2011-03
      near-gov case show AMD-2011-001
    """
    show_record(fmt, env.reads.case(ref), case_record)


@case.command("list")
@click.option("--process", type=click.Choice(["charter-amendment", "coordinator-election", "withdrawal"]),
              help="Only cases of this process.")
@click.option("--state", metavar="STATE", help="Only cases in this state, e.g. proposed.")
@format_option(csv=True)
@pass_env
def list_(env: Env, process: str | None, state: str | None, fmt: str) -> None:
    """List cases, oldest first.

    \b
    Example:
      near-gov case propose-amendment --scope CN,JP,KR,KP,MN,RU,KZ --on 2011-03
      near-gov case list --process charter-amendment
    """
    show_list(fmt, env.reads.cases(process=process, state=state), fields=CASE_FIELDS)


COMMANDS = [case]
