"""`near-gov assembly`: General Assembly sessions and Working Committee meetings,
their attendance and their numbered decisions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from near_gov.cli.base import Env, Group, country_option, format_option, pass_env
from near_gov.cli.output import Column, record, show_done, show_list, show_record, table
from near_gov.decisions import KINDS, REGION_PARAMS, DecisionKind, Param
from near_gov.naming import subject_with_now, with_now

F = TypeVar("F", bound=Callable[..., Any])

#: Options of parameters that are not the value of a decision's own option, in order of
#: first use, each with the kinds that take it.
MODIFIERS: dict[str, list[tuple[DecisionKind, Param]]] = {}
for _kind in KINDS:
    for _param in _kind.params:
        if not _param.main:
            MODIFIERS.setdefault(_param.name, []).append((_kind, _param))


def _flag(dest: str) -> str:
    return "--" + dest.replace("_", "-")


def _body(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if value.strip().upper() not in ("GA", "WC"):
        raise click.BadParameter(f"{value!r}: use GA (General Assembly) or WC (Working Committee meeting)")
    return value.strip().upper()


@click.group(cls=Group)
def assembly() -> None:
    """Assemblies: convene, attend, decide, close, show, replay.

    \b
    Example:
      near-gov assembly convene GA 9 --host "Gyeonggi-do Province" --on 2012-09
    """


@assembly.command()
@click.argument("body", metavar="GA|WC", callback=_body)
@click.argument("number", type=click.IntRange(min=1))
@click.option("--host", required=True, metavar="NAME", help="The hosting member region.")
@click.option("--on", "on", required=True, metavar="DATE", help="When it opened.")
@country_option("the --host region")
@format_option()
@pass_env
def convene(env: Env, body: str, number: int, host: str, on: str, country: str | None, fmt: str) -> None:
    """Record that an assembly opened; its id is GA-N or WC-N.

    GA is a General Assembly session, WC a Working Committee meeting. The host may be
    named by a former name; --country settles a name held in two countries.

    \b
    Example:
      near-gov assembly convene GA 9 --host "Gyeonggi-do Province" --on 2012-09
    """
    done = env.gov.convene(body, number, host, on, country=country)
    show_done(fmt, done, f"Convened {done['id']} ({done['body']}) hosted by {done['host']} on {done['on']}.")


@assembly.command()
@click.argument("ident", metavar="ID")
@click.argument("names", metavar="NAME...", nargs=-1, required=True)
@country_option("every NAME given (name regions of other countries in another `assembly attend`)")
@format_option()
@pass_env
def attend(env: Env, ident: str, names: tuple[str, ...], country: str | None, fmt: str) -> None:
    """Record the regions that attended.

    Each must be a member or an observer on the assembly's date. A NAME may be a former
    name; --country settles names held in two countries and applies to every NAME given.

    \b
    Example:
      near-gov assembly convene GA 9 --host "Gyeonggi-do Province" --on 2012-09
      near-gov assembly attend GA-9 "Khabarovsk Territory" "Toyama Prefecture"
      near-gov assembly attend GA-9 "Busan Metropolitan City" --country KR
    """
    done = env.gov.attend(ident, list(names), country=country)
    added = ", ".join(done["added"]) or "no new region"
    show_done(fmt, done, f"{done['id']}: recorded {added}; {len(done['attendance'])} attended.")


@assembly.command()
@click.argument("ident", metavar="ID")
@click.option("--on", "on", metavar="DATE", help="When it closed.  [default: the day it opened]")
@format_option()
@pass_env
def close(env: Env, ident: str, on: str | None, fmt: str) -> None:
    """Close an assembly: its decisions become final.

    \b
    Example:
      near-gov assembly convene GA 9 --host "Gyeonggi-do Province" --on 2012-09
      near-gov assembly close GA-9 --on 2012-09-14
    """
    done = env.gov.close_assembly(ident, on)
    show_done(fmt, done, f"Closed {done['id']} on {done['closed']}.")


def _decision_options(command: F) -> F:
    """One option per decision kind, then one per modifier, all from `near_gov.decisions`."""
    for name, uses in reversed(MODIFIERS.items()):
        first = uses[0][1]
        flags = " and ".join(_flag(kind.option) for kind, _ in uses)
        command = click.option(_flag(name), metavar=first.metavar, help=f"{first.help}, for {flags}.")(command)
    for kind in reversed(KINDS):
        main = [p for p in kind.params if p.main]
        command = click.option(_flag(kind.option), kind.option, nargs=len(main),
                               metavar=" ".join(p.metavar for p in main), help=kind.help)(command)
    return command


# `env` positional-only: click's pass decorator passes it so, and types it so.
@assembly.command()
@click.argument("ident", metavar="ID")
@_decision_options
@country_option(f"the region the decision names ({REGION_PARAMS})")
@format_option()
@pass_env
def decide(env: Env, /, ident: str, country: str | None, fmt: str, **options: Any) -> None:
    """Take one decision of assembly ID and print its reference ID/Dn. The decision and
    all of its effects on the register are recorded together. A region may be named by
    a former name; --country settles a name held in two countries.

    \b
    Example:
      near-gov assembly convene GA 9 --host "Gyeonggi-do Province" --on 2012-09
      near-gov application submit "Fujian Province" --country CN --on 2012-03-05
      near-gov application screen APP-2012-001 --eligible
      near-gov application schedule APP-2012-001 --assembly GA-9
      near-gov assembly decide GA-9 --approve APP-2012-001
      near-gov assembly decide GA-9 --establish-committee "Sub-Committee on Maritime Affairs" \\
        --coordinator "Busan Metropolitan City"
      near-gov assembly decide GA-9 --elect-coordinator "Sub-Committee on Tourism" "Amur Region" --country RU
      near-gov assembly decide GA-9 --set-scope CN,JP,KR,KP,MN,RU,KZ
    """
    kind, params = _decision(options)
    done = env.gov.decide(ident, kind, country=country, **params)
    show_done(fmt, done, done["decision"])


def _decision(options: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The one decision the options ask for, as its kind's name and parameters."""
    chosen = [kind for kind in KINDS if options[kind.option] is not None]
    if len(chosen) != 1:
        flags = ", ".join(_flag(kind.option) for kind in KINDS)
        raise click.UsageError(f"give exactly one decision: {flags}")
    (kind,) = chosen
    values = options[kind.option] if isinstance(options[kind.option], tuple) else (options[kind.option],)
    params = dict(zip([p.name for p in kind.params if p.main], values, strict=True))
    for modifier, uses in MODIFIERS.items():
        taken = next((p for k, p in uses if k is kind), None)
        if options[modifier] is None:
            if taken is not None and taken.required:
                raise click.UsageError(f"{_flag(kind.option)} needs {_flag(modifier)}")
        elif taken is not None:
            params[modifier] = options[modifier]
        else:
            raise click.UsageError(f"{_flag(modifier)} does not go with {_flag(kind.option)}")
    return kind.name, params


def _assembly(data: dict[str, Any]) -> str:
    """An assembly for people: its facts, who attended, and each decision with its effects,
    the regions named as they were then (today's name beside where it differs)."""
    facts = {k: v for k, v in data.items() if k not in ("decisions", "attendance", "attendees", "current_host")}
    facts["host"] = with_now(data["host"], data["current_host"])
    attended = ", ".join(with_now(a["name"], a["current_name"]) for a in data["attendees"]) or "not recorded"
    columns = [Column("Ref", "ref"), Column("Kind", "kind"), Column("Text", "text", 60),
               Column("Effects", lambda d: "; ".join(f"{subject_with_now(e)}: {e['summary']}" for e in d["effects"]))]
    return f"{record(facts)}\n\nAttendance: {attended}\n\nDecisions:\n{table(data['decisions'], columns)}"


@assembly.command()
@click.argument("ident", metavar="ID")
@format_option()
@pass_env
def show(env: Env, ident: str, fmt: str) -> None:
    """Show an assembly and its decisions, with their effects.

    Decisions are in order, each with the changes it made to the register. The host,
    the attendees and the regions the effects name are named as they were on the
    assembly's date, with today's name beside where it differs.

    \b
    Example:
      near-gov assembly show GA-4
    """
    show_record(fmt, env.reads.assembly(ident), _assembly)


@assembly.command("list")
@format_option(csv=True)
@pass_env
def list_(env: Env, fmt: str) -> None:
    """List assemblies in order, with their decisions.

    In CSV each decision field is a column (decisions.ref, decisions.kind, decisions.text)
    holding that field of every decision, in order, joined by "; ".

    \b
    Example:
      near-gov assembly list --format json
    """
    columns = [Column("ID", "id"), Column("Body", "body"),
               Column("Host", lambda a: with_now(a["host"], a["current_host"])), Column("Opened", "opened"),
               Column("Closed", "closed"), Column("Decisions", lambda a: len(a.get("decisions") or []))]
    fields = ["id", "body", "number", "host", "opened", "closed", "decisions.ref", "decisions.kind", "decisions.text"]
    show_list(fmt, env.reads.assemblies(), columns=columns, fields=fields)


def _replay(data: dict[str, Any]) -> str:
    """A replay for people: the verdict, each decision's effects, and what changed."""
    verdict = "its effects match the record" if data.get("matches") else "see the differences below"
    columns = [Column("Ref", "ref"), Column("Kind", "kind"), Column("Text", "text", 50),
               Column("Effects", lambda d: "; ".join(f"{e['event']} {e['subject']}" for e in d["effects"]), 60)]
    parts = [f"{data['assembly']}, hosted by {data['host']} on {data['on']}, re-run on the register as it stood "
             f"before it: {verdict}.", "Decisions:\n" + table(data["decisions"], columns)]
    parts += [f"Changes to the {area}:\n{table(rows)}" for area, rows in data.get("changes", {}).items()]
    return "\n\n".join(parts)


@assembly.command()
@click.argument("ident", metavar="ID")
@format_option()
@pass_env
def replay(env: Env, ident: str, fmt: str) -> None:
    """Re-run an assembly's decisions and check them against the record.

    The decisions of ID are re-run on the register as it stood before ID (in the order it
    was recorded), and the command exits 4 if that differs from what was recorded. It shows
    what each decision changed in roster, committees and Charter; with --format json also
    `before` and `after`: the register as of ID's date, from everything recorded so far,
    without and with ID's decisions.

    \b
    Example:
      near-gov assembly replay GA-4
    """
    from near_gov.replay import replay as run  # noqa: PLC0415 - slow import

    show_record(fmt, run(env.reader, ident), _replay)


COMMANDS = [assembly]
