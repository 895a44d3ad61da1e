"""`near-gov store`: which store this invocation uses; `store grant`: PostgreSQL roles."""

from __future__ import annotations

import click

from near_gov.cli.base import Env, Failure, Group, format_option, pass_env
from near_gov.cli.output import show_done


@click.group(cls=Group, invoke_without_command=True)
@format_option()
@pass_env
@click.pass_context
def store(ctx: click.Context, env: Env, fmt: str) -> None:
    """Print the store in use, without opening it; set up PostgreSQL roles.

    The store comes from --store, else NEAR_GOV_STORE, else the default SQLite file.

    \b
    Example:
      near-gov --store postgresql://near@db.example/near store
    """
    if ctx.invoked_subcommand is not None:
        return
    chosen = env.store()
    data = {"kind": chosen.kind, "store": chosen.describe()}
    if chosen.path is not None:
        data["path"] = str(chosen.path)
    show_done(fmt, data, data["store"])


@store.command()
@click.argument("role")
@click.option("--read", is_flag=True, help="The role may run every query, and append nothing.")
@click.option("--write", is_flag=True, help="The role may also append events and keep the read models up to date.")
@format_option()
@pass_env
def grant(env: Env, role: str, read: bool, write: bool, fmt: str) -> None:
    """Let a PostgreSQL role read the register, or read and append to it.

    The database enforces it: a reader's write is refused by the server, and every
    event records the role that wrote it (`history`, `db_role`). Run it as the store's
    owner; the role must exist (CREATE ROLE ... LOGIN). Changing or deleting events,
    and rebuilding the read models, stay the owner's. On SQLite the file's
    permissions decide who may read or write it: there is no role to grant.

    \b
    Example:
      near-gov --store postgresql://near@db.example/near store grant clerk --write
      near-gov --store postgresql://near@db.example/near store grant auditor --read
    """
    if read == write:
        raise click.UsageError("give one of --read and --write")
    chosen = env.store()
    if chosen.kind != "postgres":
        from near_gov.roles import not_postgres  # noqa: PLC0415 - slow import

        raise Failure(not_postgres(chosen), 2)
    from near_gov.roles import grant as run  # noqa: PLC0415 - slow import

    done = run(chosen, role, write, lambda: env.gov)
    may = "read and append to" if write else "read"
    show_done(fmt, done, f"role {role} may now {may} the register at {done['store']}")


COMMANDS = [store]
