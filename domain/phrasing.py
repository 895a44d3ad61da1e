"""How refusals speak of membership statuses and of NEAR's bodies, in one place and in
plain English: "is already a member", "an observer", "withdrew on 2018-03", "is
neither a member nor an observer" (never "is none" or "an withdrawn"), "only a General
Assembly may ...". Every refusal that names a status or a body builds its words here,
with the region's official (stored) name, never the name as typed."""

from __future__ import annotations

from domain.values import Body, FuzzyDate, Status

_STANDING = {
    Status.MEMBER: "a member",
    Status.OBSERVER: "an observer",
    Status.WITHDRAWN: "withdrawn",
    Status.NONE: "neither a member nor an observer",
}

_BODY = {
    Body.APPLICANT: "the applicant",
    Body.SECRETARIAT: "the Secretariat",
    Body.WORKING_COMMITTEE: "a Working Committee meeting",
    Body.GENERAL_ASSEMBLY: "a General Assembly",
    Body.SUB_COMMITTEE: "the Sub-Committee's members",
}


def standing(status: Status | str) -> str:
    """A status as the words that follow "is": "a member", "an observer", "withdrawn",
    "neither a member nor an observer"."""
    return _STANDING[Status(status)]


def holds(status: Status | str, since: FuzzyDate | str | None = None, *, already: bool = False) -> str:
    """What a region's status says of it, as the words that follow its name: "is a
    member since 2004-01", "is already an observer since 2004-01", "withdrew on
    2018-03" ("has withdrawn" without a date), "is neither a member nor an observer"."""
    status = Status(status)
    first = "already " if already else ""
    if status == Status.WITHDRAWN:
        return f"{first}withdrew on {since}" if since is not None else f"has {first}withdrawn"
    if status == Status.NONE or since is None:
        return f"is {first}{standing(status)}"
    return f"is {first}{standing(status)} since {since}"


def become(status: Status | str) -> str:
    """A change to `status` as a verb: "become a member", "become an observer", "withdraw"."""
    status = Status(status)
    return "withdraw" if status == Status.WITHDRAWN else f"become {standing(status)}"


def body(who: Body | str) -> str:
    """A body of NEAR with its article: "a General Assembly", "a Working Committee
    meeting", "the Secretariat", "the applicant", "the Sub-Committee's members"."""
    return _BODY[Body(who)]


def counted(count: int, status: Status | str, countries: tuple[str, ...] | list[str] = ()) -> str:
    """A stated count as a sentence without its date: "29 regions from CN, JP, KR, RU
    became members", "1 region became an observer" (countries not stated: none named)."""
    where = f" from {', '.join(countries)}" if countries else ""
    if count == 1:
        return f"1 region{where} became {standing(status)}"
    return f"{count} regions{where} became {Status(status)}s"
