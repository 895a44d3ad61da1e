"""Commands of the governance processes beyond admission: Charter amendment,
coordinator election and withdrawal. Each opens or advances a `Case` of its declared
process; a deciding step applies its effects on the register in the same transaction.
Mixed into `Governance`, whose loading and saving helpers it uses."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from domain.assembly import Assembly
from domain.case import Case
from domain.charter import SCOPE_ARTICLE, Charter
from domain.errors import InvalidInput
from domain.ids import key_id
from domain.processes import PREFIXES
from domain.values import FuzzyDate, Status, clean_name, clean_text, country_code, optional
from near_gov.clock import today

if TYPE_CHECKING:
    from eventsourcing.domain import Aggregate

    from near_gov.service import Governance as _Base
else:
    _Base = object

_PROCESS_PREFIX = {p.name: prefix for prefix, p in PREFIXES.items()}


class CaseCommands(_Base):
    def case(self, reference: str) -> Case:
        ref = str(reference).strip().upper()
        if ref.split("-", 1)[0] not in PREFIXES or ref.startswith("APP-"):
            raise InvalidInput(f"bad case reference {reference!r}: use AMD-, ELE- or WDR-YYYY-NNN")
        return self._get(Case, key_id("case", ref), f"no case {ref}; see `near-gov tasks`")

    def case_info(self, reference: str) -> dict[str, Any]:
        case = self.case(reference)
        return {
            "reference": case.reference,
            "process": case.process_name,
            "state": case.state,
            "subject": dict(case.subject),
            "history": [
                {"step": t.step, "state": t.state, "on": str(t.on), "cause": t.cause, "note": t.note}
                for t in case.history
            ],
            "next": [{"step": s.name, "by": str(s.by)} for s in case.next_steps()],
        }

    def _open_case(self, process: str, subject: dict[str, str], on: FuzzyDate,
                   note: str | None, *also: Aggregate | None) -> dict[str, str]:
        def command() -> dict[str, str]:
            counter = self._counter(_PROCESS_PREFIX[process], on.year)
            ref = counter.next_reference()
            case = Case(reference=ref, process=process, subject=subject, on=on, note=note, actor=self.actor)
            self._commit(counter, case, *also)
            return {"reference": ref}

        return self._retrying(command)

    def _check_case_date(self, case: Case, on: FuzzyDate) -> None:
        if on < case.since:
            raise InvalidInput(f"{case.reference}: {on} is before its last step on {case.since}")

    # Charter amendment.

    def propose_amendment(self, on: str, article: str | None = None, text: str | None = None,
                          scope: str | None = None, note: str | None = None) -> dict[str, str]:
        day = self.effective(on, "--on")
        if scope is not None:
            if article or text:
                raise InvalidInput("propose either --article with --text, or --scope, not both")
            codes = scope_codes(scope)
            subject = {"scope": ",".join(codes)}
        elif article and text:
            article = clean_name(article, "article")
            if article.casefold() == SCOPE_ARTICLE:
                raise InvalidInput(f"the {SCOPE_ARTICLE} is proposed with --scope CC,CC,...")
            subject = {"article": article, "text": clean_text(text, "text")}
        else:
            raise InvalidInput("a proposal needs --article with --text, or --scope CC,CC,...")
        return self._open_case("charter-amendment", subject, day, optional(clean_text, note, "note"))

    def _amendment(self, reference: str) -> Case:
        case = self.case(reference)
        if case.process_name != "charter-amendment":
            raise InvalidInput(f"{case.reference} is a {case.process_name} case, not a Charter amendment")
        return case

    def _decide_review_amendment(self, assembly: Assembly, amendment: str) -> list[Aggregate]:
        case = self._amendment(amendment)
        case.process.check(case.reference, case.state, "review", "reviewed")
        ref = assembly.decide("review-amendment", f"Review Charter amendment {case.reference}: {_describe(case)}",
                              {"amendment": case.reference}, self.actor)
        case.take("review", "reviewed", assembly.on, ref, None, self.actor)
        return [case]

    def _decide_adopt_amendment(self, assembly: Assembly, amendment: str) -> list[Aggregate]:
        case = self._amendment(amendment)
        case.process.check(case.reference, case.state, "adopt", "adopted")
        charter = self.charter() or Charter(actor=self.actor)
        ref = assembly.next_decision_ref()
        if "scope" in case.subject:
            charter.set_scope(tuple(case.subject["scope"].split(",")), assembly.on, ref, self.actor)
        else:
            charter.amend(case.subject["article"], case.subject["text"], assembly.on, ref, self.actor)
        assembly.decide("adopt-amendment", f"Adopt Charter amendment {case.reference}: {_describe(case)}",
                        {"amendment": case.reference}, self.actor)
        case.take("adopt", "adopted", assembly.on, ref, None, self.actor)
        return [case, charter]

    def _decide_reject_amendment(self, assembly: Assembly, amendment: str, reason: str) -> list[Aggregate]:
        case = self._amendment(amendment)
        reason = clean_text(reason, "reason")
        case.process.check(case.reference, case.state, "reject", "rejected")
        ref = assembly.decide("reject-amendment", f"Reject Charter amendment {case.reference}: {reason}",
                              {"amendment": case.reference, "reason": reason}, self.actor)
        case.take("reject", "rejected", assembly.on, ref, reason, self.actor)
        return [case]

    # Coordinator election.

    def nominate_coordinator(self, committee: str, region: str, on: str) -> dict[str, str]:
        body, member = self.committee(committee), self.region(region)
        day = self.effective(on, "--on")
        body.check_active()
        member.check_is_member_on(day, f"nominated coordinator of {body.name}")
        return self._open_case("coordinator-election", {"committee": body.name, "region": member.name}, day, None)

    def elect_nominee(self, reference: str, on: str, decision: str | None = None) -> dict[str, str]:
        case = self._election(reference)
        day = self.effective(on, "--on")
        self._check_case_date(case, day)
        case.process.check(case.reference, case.state, "elect", "elected")
        body = self.committee(case.subject["committee"])
        member = self.region(case.subject["region"])
        member.check_is_member_on(day, f"coordinator of {body.name}")
        cause = case.reference if decision is None else self.check_decision_exists(decision)
        body.elect(member.id, member.name, day, cause, None, self.actor)
        case.take("elect", "elected", day, cause, None, self.actor)
        self._commit(case, body)
        return {"reference": case.reference, "committee": body.name, "coordinator": member.name, "since": str(day)}

    def decline_nomination(self, reference: str, on: str, reason: str) -> dict[str, str]:
        case = self._election(reference)
        return self._step(case, "decline", "declined", on, clean_text(reason, "reason"))

    def _election(self, reference: str) -> Case:
        case = self.case(reference)
        if case.process_name != "coordinator-election":
            raise InvalidInput(f"{case.reference} is a {case.process_name} case, not a coordinator election")
        return case

    # Withdrawal.

    def notify_withdrawal(self, region: str, on: str, source: str | None = None) -> dict[str, str]:
        member = self.region(region)
        day = self.effective(on, "--on")
        if member.status_on(day) not in (Status.MEMBER, Status.OBSERVER):
            raise InvalidInput(f"{member.name} is {member.status_on(day)} on {day}: there is nothing to withdraw from")
        return self._open_case("withdrawal", {"region": member.name, "country": member.country}, day,
                               optional(clean_text, source, "source"))

    def confirm_withdrawal(self, reference: str, on: str | None = None,
                           decision: str | None = None) -> dict[str, str]:
        case = self.case(reference)
        if case.process_name != "withdrawal":
            raise InvalidInput(f"{case.reference} is a {case.process_name} case, not a withdrawal")
        day = case.since if on is None else self.effective(on, "--on")
        self._check_case_date(case, day)
        case.process.check(case.reference, case.state, "confirm", "withdrawn")
        member = self.region(case.subject["region"], case.subject["country"])
        cause = case.reference if decision is None else self.check_decision_exists(decision)
        member.withdraw(day, cause, case.history[0].note, self.actor)
        case.take("confirm", "withdrawn", day, cause, None, self.actor)
        self._commit(case, member)
        return {"reference": case.reference, "region": member.name, "status": str(Status.WITHDRAWN), "since": str(day)}

    # Steps that change only the case.

    def withdraw_case(self, reference: str, reason: str, on: str | None = None) -> dict[str, str]:
        """The applicant withdraws a proposal or nomination, or retracts a withdrawal notice."""
        case = self.case(reference)
        step, target = ("retract", "retracted") if case.process_name == "withdrawal" else ("withdraw", "withdrawn")
        return self._step(case, step, target, on, clean_text(reason, "reason"))

    def _step(self, case: Case, step: str, target: str, on: str | None, note: str) -> dict[str, str]:
        day = today() if on is None else self.effective(on, "--on")
        self._check_case_date(case, day)
        case.take(step, target, day, None, note, self.actor)
        self._commit(case)
        return {"reference": case.reference, "state": case.state}


def scope_codes(scope: str) -> tuple[str, ...]:
    codes = tuple(dict.fromkeys(country_code(c) for c in str(scope).split(",") if c.strip()))
    if not codes:
        raise InvalidInput("a scope needs country codes, e.g. CN,JP,KR,KP,MN,RU")
    return codes


def _describe(case: Case) -> str:
    if "scope" in case.subject:
        return f"membership scope {case.subject['scope'].replace(',', ', ')}"
    return f"article {case.subject['article']}: {case.subject['text']}"

