"""The Charter: amended by a General Assembly directly (`amend-charter`, `set-scope`) or
through the amendment process: proposed, reviewed by a Working Committee meeting,
adopted or rejected by a General Assembly."""

from __future__ import annotations

from domain.case import Case
from domain.charter import SCOPE_ARTICLE
from domain.errors import DateRefused, InvalidInput
from domain.values import clean_name, clean_text, country_code, optional
from near_gov.commands.assemblies import Deciding
from near_gov.commands.cases import case_of, open_case
from near_gov.commands.standing import meetings_from
from near_gov.commands.unit import effective
from near_gov.persistence.register import Register


def scope_codes(scope: str) -> tuple[str, ...]:
    codes = tuple(dict.fromkeys(country_code(c) for c in str(scope).split(",") if c.strip()))
    if not codes:
        raise InvalidInput("a scope needs country codes, e.g. CN,JP,KR,KP,MN,RU")
    return codes


def amend(d: Deciding, article: str, text: str) -> None:
    article, text = clean_name(article, "article"), clean_text(text, "text")
    if article.casefold() == SCOPE_ARTICLE:
        raise InvalidInput(f"the {SCOPE_ARTICLE} is amended with --set-scope CC,CC,...")
    d.unit.charter().amend(article, text, d.on, d.next_ref(), d.actor)
    d.take(f"Amend Charter article {article}: {text}", {"article": article, "text": text})


def set_scope(d: Deciding, countries: str) -> None:
    codes = scope_codes(countries)
    check_admissions_in_scope(d, codes)
    d.unit.charter().set_scope(codes, d.on, d.next_ref(), d.actor)
    d.take(f"Set the membership scope to {', '.join(codes)}", {"countries": ",".join(codes)})


def check_admissions_in_scope(d: Deciding, codes: tuple[str, ...]) -> None:
    """A scope taking effect on the assembly's date governs every admission from that
    date on (a later scope would be dated later still): refuse one that an admission
    already decided on or after that date falls outside of, naming it. Admissions are
    the approvals of General Assemblies: those from this one's date on."""
    for assembly in meetings_from(d.unit, d.on, ("GA",)):
        for decision in assembly.decisions:
            if decision.kind != "approve":
                continue
            case = d.unit.application(decision.params["application"])
            if case.country not in codes:
                raise DateRefused(
                    f"the scope {', '.join(codes)} from {d.on} would leave {case.region} ({case.country}), "
                    f"admitted on {assembly.on} by {decision.ref}, outside NEAR's membership scope")


# The amendment process.

def propose_amendment(reg: Register, on: str, article: str | None = None, text: str | None = None,
                      scope: str | None = None, note: str | None = None) -> dict[str, str]:
    day = effective(on, "--on")
    if scope is not None:
        if article or text:
            raise InvalidInput("propose either --article with --text, or --scope, not both")
        subject = {"scope": ",".join(scope_codes(scope))}
    elif article and text:
        article = clean_name(article, "article")
        if article.casefold() == SCOPE_ARTICLE:
            raise InvalidInput(f"the {SCOPE_ARTICLE} is proposed with --scope CC,CC,...")
        subject = {"article": article, "text": clean_text(text, "text")}
    else:
        raise InvalidInput("a proposal needs --article with --text, or --scope CC,CC,...")
    return open_case(reg, "charter-amendment", subject, day, optional(clean_text, note, "note"))


def _amendment(d: Deciding, reference: str) -> Case:
    return case_of(d.unit, reference, "charter-amendment", "a Charter amendment")


def review_amendment(d: Deciding, amendment: str) -> None:
    case = _amendment(d, amendment)
    case.process.check(case.reference, case.state, "review", "reviewed")
    ref = d.take(f"Review Charter amendment {case.reference}: {_describe(case)}", {"amendment": case.reference})
    case.take("review", "reviewed", d.on, ref, None, d.actor)


def adopt_amendment(d: Deciding, amendment: str) -> None:
    case = _amendment(d, amendment)
    case.process.check(case.reference, case.state, "adopt", "adopted")
    charter, ref = d.unit.charter(), d.next_ref()
    if "scope" in case.subject:
        codes = tuple(case.subject["scope"].split(","))
        check_admissions_in_scope(d, codes)
        charter.set_scope(codes, d.on, ref, d.actor)
    else:
        charter.amend(case.subject["article"], case.subject["text"], d.on, ref, d.actor)
    d.take(f"Adopt Charter amendment {case.reference}: {_describe(case)}", {"amendment": case.reference})
    case.take("adopt", "adopted", d.on, ref, None, d.actor)


def reject_amendment(d: Deciding, amendment: str, reason: str) -> None:
    case = _amendment(d, amendment)
    reason = clean_text(reason, "reason")
    case.process.check(case.reference, case.state, "reject", "rejected")
    ref = d.take(f"Reject Charter amendment {case.reference}: {reason}",
                 {"amendment": case.reference, "reason": reason})
    case.take("reject", "rejected", d.on, ref, reason, d.actor)


def _describe(case: Case) -> str:
    if "scope" in case.subject:
        return f"membership scope {case.subject['scope'].replace(',', ', ')}"
    return f"article {case.subject['article']}: {case.subject['text']}"
