"""`near-gov application`: admission cases, from the letter to the Assembly's decision."""

from __future__ import annotations

import click

from near_gov.cli.base import Env, Group, format_option, pass_env
from near_gov.cli.case import CASE_FIELDS
from near_gov.cli.output import case_record, show_done, show_list, show_record

STATES = ["submitted", "screened", "ineligible", "scheduled", "approved", "rejected", "withdrawn"]


@click.group(cls=Group)
def application() -> None:
    """Admission: submit, screen, schedule, withdraw, show, list.

    An application is approved or rejected by a General Assembly decision:
    see `near-gov assembly decide`.

    \b
    Example:
      near-gov application submit "Fujian Province" --country CN --on 2012-03-05
    """


@application.command()
@click.argument("name")
@click.option("--country", required=True, metavar="CC", help="ISO 3166-1 alpha-2 code, e.g. KP.")
@click.option("--for", "kind", type=click.Choice(["member", "observer"]), default="member", show_default=True,
              help="The status applied for.")
@click.option("--on", "on", metavar="DATE", help="Date of the letter of application.  [default: today]")
@format_option()
@pass_env
def submit(env: Env, name: str, country: str, kind: str, on: str | None, fmt: str) -> None:
    """Record an application; prints its new reference.

    The region is registered if it is new to the register.

    \b
    Example:
      near-gov application submit "Fujian Province" --country CN --for member --on 2012-03-05
    """
    done = env.gov.submit_application(name, country, kind, on)
    show_done(fmt, done, done["reference"])


@application.command()
@click.argument("ref")
@click.option("--eligible/--ineligible", default=None, help="The Secretariat's finding.")
@click.option("--reason", metavar="TEXT", help="Why (required with --ineligible).")
@format_option()
@pass_env
def screen(env: Env, ref: str, eligible: bool | None, reason: str | None, fmt: str) -> None:
    """Record the Secretariat's screening of an application.

    It is eligible, or ineligible with a reason.

    \b
    Example:
      near-gov application submit "Fujian Province" --country CN --on 2012-03-05
      near-gov application submit "Jiangsu Province" --country CN --on 2012-03-06
      near-gov application screen APP-2012-001 --eligible
      near-gov application screen APP-2012-002 --ineligible --reason "no resolution of its assembly"
    """
    if eligible is None:
        raise click.UsageError("give --eligible, or --ineligible --reason TEXT")
    done = env.gov.screen_application(ref, eligible, reason)
    show_done(fmt, done, f"{done['reference']} is {done['state']}.")


@application.command()
@click.argument("ref")
@click.option("--assembly", required=True, metavar="GA-n", help="The General Assembly that will decide.")
@format_option()
@pass_env
def schedule(env: Env, ref: str, assembly: str, fmt: str) -> None:
    """Put a screened application on a General Assembly's agenda.

    \b
    Example:
      near-gov assembly convene GA 9 --host "Gyeonggi-do Province" --on 2012-09
      near-gov application submit "Fujian Province" --country CN --on 2012-03-05
      near-gov application screen APP-2012-001 --eligible
      near-gov application schedule APP-2012-001 --assembly GA-9
    """
    done = env.gov.schedule_application(ref, assembly)
    show_done(fmt, done, f"{done['reference']} is scheduled for {done['assembly']}.")


@application.command()
@click.argument("ref")
@click.option("--reason", required=True, metavar="TEXT", help="The applicant's reason.")
@format_option()
@pass_env
def withdraw(env: Env, ref: str, reason: str, fmt: str) -> None:
    """Record that the applicant withdrew its application.

    \b
    Example:
      near-gov application submit "Fujian Province" --country CN --on 2012-03-05
      near-gov application withdraw APP-2012-001 --reason "letter of 2012-06-01"
    """
    done = env.gov.withdraw_application(ref, reason)
    show_done(fmt, done, f"{done['reference']} is {done['state']}.")


@application.command()
@click.argument("ref")
@format_option()
@pass_env
def show(env: Env, ref: str, fmt: str) -> None:
    """Show an application, its history and its next steps.

    Each next step names the body that takes it.

    \b
    Example:
      near-gov application submit "Fujian Province" --country CN --on 2012-03-05
      near-gov application show APP-2012-001
    """
    show_record(fmt, env.reads.application(ref), case_record)


@application.command("list")
@click.option("--status", type=click.Choice(STATES), help="Only applications in this state.")
@format_option(csv=True)
@pass_env
def list_(env: Env, status: str | None, fmt: str) -> None:
    """List applications, oldest first.

    \b
    Example:
      near-gov application submit "Fujian Province" --country CN --on 2012-03-05
      near-gov application list --status submitted
    """
    show_list(fmt, env.reads.applications(status=status), fields=CASE_FIELDS)


COMMANDS = [application]
