"""`near-gov audit`: a region's membership timeline, and the hash chain over the log."""

from __future__ import annotations

from typing import Any, BinaryIO

import click

from near_gov.cli.base import Env, Failure, Group, country_option, format_option, new_file, pass_env
from near_gov.cli.output import Column, show_done, show_record, table, with_db_role


@click.group(cls=Group)
def audit() -> None:
    """Membership timelines; seal, sign and verify the log; receipts.

    \b
    Example:
      near-gov audit membership "Rasun City"
    """


def _timeline(data: dict[str, Any]) -> str:
    columns = with_db_role([Column("Status", "status"), Column("Since", "since"), Column("Cause", "cause"),
                            Column("Source", "source"), Column("Recorded at", "recorded_at"), Column("Actor", "actor"),
                            Column("Corrects", "corrects")], data["timeline"], after="actor")
    if any(p["name"] != data["region"] for p in data["timeline"]):  # renamed: the name each period began under
        columns.insert(0, Column("Name then", "name"))
    return f"{data['region']} ({data['country']})\n\n" + table(data["timeline"], columns)


@audit.command()
@click.argument("name")
@country_option()
@click.option("--known-at", metavar="TIMESTAMP", help="As the register knew it at this recorded time.")
@format_option()
@pass_env
def membership(env: Env, name: str, country: str | None, known_at: str | None, fmt: str) -> None:
    """Show how a region's membership changed, and why.

    Each status change with its cause (decision), its source (document), when it was
    recorded, who recorded it (and, on PostgreSQL, the database role that wrote it) and
    the earlier record it corrects, if any.

    \b
    Example:
      near-gov audit membership "Rasun City" --format json
    """
    show_record(fmt, env.reads.audit_membership(name, country, known_at), _timeline)


@audit.command()
@click.option("--key", "key_file", metavar="PRIVATE", type=click.Path(dir_okay=False),
              help="Sign the seal with this private key (written by `audit keygen`).")
@format_option()
@pass_env
def seal(env: Env, key_file: str | None, fmt: str) -> None:
    """Extend the hash chain over the log; prints its head.

    Keep the head: `audit verify --head HEAD` later proves nothing before it changed.
    With --key, the seal also signs the log's size, chain head and Merkle root: anyone
    with the public key can check it (`audit verify --key`, `audit check`).

    \b
    Example:
      near-gov audit seal
      near-gov audit keygen --out secretariat.key
      near-gov audit seal --key secretariat.key
    """
    from near_gov.integrity import seal as run  # noqa: PLC0415 - slow import

    key = _private(key_file) if key_file else None
    done = run(env.gov, key)
    signed = f", signed by key {done['key_id']}" if key else ""
    show_done(fmt, done, f"{done['head']}  (through event {done['position']}{signed})")


@audit.command()
@click.option("--head", metavar="HASH", help="A head printed earlier by `audit seal`; it must still be on the chain.")
@click.option("--key", "key_file", metavar="PUBLIC", type=click.Path(dir_okay=False),
              help="Check every signed seal with this public key (NAME.pub).")
@click.option("--require-attested", is_flag=True,
              help="Fail (exit 4) if any event follows the last seal signed with --key.")
@click.option("--from", "export", metavar="EXPORT", type=click.File("rb"),
              help="Check this export file (`near-gov export`) instead of the store; no store is opened.")
@format_option()
@pass_env
def verify(env: Env, head: str | None, key_file: str | None, require_attested: bool, export: BinaryIO | None,
           fmt: str) -> None:
    """Check the hash chain over the whole log (exit 4 if it fails).

    With --key, also check every signed seal (its Merkle root and signature) and report
    how many events follow the last one: those no signature attests yet.

    \b
    Example:
      near-gov audit verify
      near-gov audit verify --format json
      near-gov audit keygen --out secretariat.key
      near-gov audit seal --key secretariat.key
      near-gov audit verify --key secretariat.key.pub --require-attested
      near-gov export near-events.jsonl
      near-gov audit verify --from near-events.jsonl --key secretariat.key.pub
    """
    if require_attested and not key_file:
        raise click.UsageError("--require-attested needs --key PUBLIC: only a signature attests events")
    key = _public(key_file) if key_file else None
    from near_gov import attested  # noqa: PLC0415 - slow import
    from near_gov.integrity import chain  # noqa: PLC0415 - slow import
    from near_gov.integrity import verify as run  # noqa: PLC0415 - slow import

    if export is not None:
        done = attested.check(attested.export_events(export, export.name), key, head)
    else:
        done = run(env.reader, head=head)
        if key is not None:
            done |= attested.check(((p, n) for p, _, n in chain(env.reader)), key)
    if require_attested:
        attested.require_attested(done)
    sentence = f"The chain holds through event {done['position']} (head {done['head']}); " \
               f"{done['seals_checked']} seals checked" + (", and the given head is on it." if head else ".")
    if key is not None:
        sentence += (f" {done['signed_seals']} seals signed by key {done['key_id']}; "
                     + (f"{done['unattested']} events after the last of them (through event {done['attested']}) "
                        "are not attested yet." if done["unattested"] else "every event is attested."))
    show_done(fmt, done, sentence)


@audit.command()
@click.option("--out", required=True, metavar="NAME", type=click.Path(dir_okay=False), callback=new_file,
              help="Write the private key to NAME and the public key to NAME.pub.")
@format_option()
def keygen(out: str, fmt: str) -> None:
    """Make an Ed25519 key pair to sign seals.

    NAME is the private key (readable by you only): whoever holds it attests the
    register. Publish NAME.pub: with it anyone checks seals and receipts. The key's id is
    the first 16 hexadecimal digits of SHA-256 over its raw public key.

    \b
    Example:
      near-gov audit keygen --out secretariat.key
    """
    from near_gov import keys  # noqa: PLC0415 - only this command needs it

    try:
        done = keys.generate(out)
    except keys.BadKey as e:
        raise Failure(str(e), 2) from None
    show_done(fmt, done, f"Wrote the private key {done['private']} (keep it secret) and the public key "
                         f"{done['public']}; key id {done['key_id']}.")


@audit.command()
@click.argument("subject", metavar="NAME|DECISION_REF", required=False)
@country_option()
@click.option("--since", type=click.IntRange(min=1), metavar="SIZE",
              help="Instead, prove that the log only grew since the signed tree of SIZE events (a receipt's).")
@click.option("--out", required=True, metavar="RECEIPT", type=click.Path(dir_okay=False), callback=new_file,
              help="Write the receipt (JSON) to this file.")
@format_option()
@pass_env
def prove(env: Env, subject: str | None, country: str | None, since: int | None, out: str, fmt: str) -> None:
    """Write a receipt a member region checks without the log.

    For a region: the events of its record and the decisions they cite; for a decision
    (e.g. GA-4/D1): the decision and its effects. Each comes with its proof of inclusion
    in the tree the last signed seal attests (`audit seal --key`). Check it with
    `audit check RECEIPT --key PUBLIC`. With --since SIZE instead, write the proof that
    the last signed tree extends the signed tree of SIZE events: `audit check RECEIPT
    PROOF --key PUBLIC` then shows that the log still holds the receipt's events.

    \b
    Example:
      near-gov audit keygen --out secretariat.key
      near-gov audit seal --key secretariat.key
      near-gov audit prove "Rasun City" --out rasun-city.receipt.json
      near-gov region register "Fujian Province" --country CN
      near-gov audit seal --key secretariat.key
      near-gov audit prove --since 405 --out grown.json
    """
    if (subject is None) == (since is None):
        raise click.UsageError("give either NAME|DECISION_REF or --since SIZE")
    from near_gov.prove import prove as run  # noqa: PLC0415 - slow import
    from near_gov.prove import prove_growth  # noqa: PLC0415 - slow import
    from near_gov.receipt import render  # noqa: PLC0415 - only this command needs it

    written = prove_growth(env.reader, since) if since is not None else run(env.reader, subject or "", country)
    with click.open_file(out, "wb", atomic=True) as f:
        f.write(render(written))
    if since is not None:
        done = {"file": out, "from": written["from"]["size"], "to": written["to"]["size"]}
        show_done(fmt, done, f"Wrote {out}: the first {done['to']} events extend the first {done['from']}.")
        return
    head = written["tree_head"]
    done = {"file": out, "entries": len(written["entries"]), "size": head["size"], "key_id": head["key_id"]}
    show_done(fmt, done, f"Wrote {out}: {done['entries']} events, proved against the first {done['size']} "
                         f"events signed by key {done['key_id']}.")


@audit.command()
@click.argument("receipt", type=click.File("rb"))
@click.argument("consistency", type=click.File("rb"), required=False)
@click.option("--key", "key_file", required=True, metavar="PUBLIC", type=click.Path(dir_okay=False),
              help="The register's public key (NAME.pub).")
@format_option()
def check(receipt: BinaryIO, consistency: BinaryIO | None, key_file: str, fmt: str) -> None:
    """Check a receipt with the register's public key alone (exit 4 if it fails).

    No store is opened: every event in the receipt is checked against the signed tree
    head by its inclusion proof, and the tree head against the key. Given CONSISTENCY
    (`audit prove --since SIZE`), also check that a later signed tree extends the
    receipt's: the log still holds its events.

    \b
    Example:
      near-gov audit keygen --out secretariat.key
      near-gov audit seal --key secretariat.key
      near-gov audit prove "Rasun City" --out rasun-city.receipt.json
      near-gov region register "Fujian Province" --country CN
      near-gov audit seal --key secretariat.key
      near-gov audit prove --since 405 --out grown.json
      near-gov audit check rasun-city.receipt.json --key secretariat.key.pub
      near-gov audit check rasun-city.receipt.json grown.json --key secretariat.key.pub
    """
    from near_gov.receipt import ReceiptRefused, check_growth, describe  # noqa: PLC0415 - only this command
    from near_gov.receipt import check as run  # noqa: PLC0415 - only this command needs it

    public = _public(key_file)
    try:
        done = run(receipt.read(), public)
        growth = check_growth(consistency.read(), public, done) if consistency is not None else None
    except ReceiptRefused as e:
        raise Failure(str(e), 4) from None
    show_done(fmt, done | ({"consistency": growth} if growth else {}), describe(done, growth))


def _private(path: str) -> Any:
    from near_gov import keys  # noqa: PLC0415 - only signing commands need it

    try:
        return keys.load_private(path)
    except keys.BadKey as e:
        raise Failure(str(e), 2) from None


def _public(path: str) -> Any:
    from near_gov import keys  # noqa: PLC0415 - only checking commands need it

    try:
        return keys.load_public(path)
    except keys.BadKey as e:
        raise Failure(str(e), 2) from None


COMMANDS = [audit]
