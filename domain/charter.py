"""The Charter: its articles version by version, and the rules it governs (the
membership scope). A rule is read from the version in force on the effective date."""

from dataclasses import dataclass, field
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import DateRefused, GovernanceError, OutOfScope
from domain.fields import Country, Name, Text
from domain.ids import key_id
from domain.values import DEFAULT_SCOPE, FuzzyDate

SCOPE_ARTICLE = "scope of membership"


@dataclass(frozen=True)
class Version:
    number: int
    on: FuzzyDate | None
    cause: str | None
    articles: dict[str, str] = field(default_factory=dict)
    scope: tuple[str, ...] = DEFAULT_SCOPE


class Charter(Aggregate):
    @staticmethod
    def create_id() -> UUID:
        return key_id("charter", "NEAR")

    @event("Recorded")
    def __init__(self, actor: str) -> None:
        self.versions: list[Version] = [Version(0, None, None)]

    @property
    def current(self) -> Version:
        return self.versions[-1]

    def version_on(self, day: FuzzyDate) -> Version:
        found = self.versions[0]
        for version in self.versions[1:]:
            if version.on is not None and version.on.first <= day.first:
                found = version
        return found

    def _check_in_order(self, on: FuzzyDate) -> None:
        last = self.current.on
        if last is not None and on < last:
            raise DateRefused(f"the Charter was last amended on {last}; an amendment on {on} would precede it")

    def amend(self, article: str, text: str, on: FuzzyDate, cause: str, actor: str) -> int:
        self._check_in_order(on)
        if self.current.articles.get(article) == text:
            raise GovernanceError(f"article {article!r} already reads so")
        self._amended(article=article, text=text, on=on, cause=cause, actor=actor)
        return self.current.number

    def set_scope(self, countries: tuple[str, ...], on: FuzzyDate, cause: str, actor: str) -> int:
        self._check_in_order(on)
        if not countries:
            raise GovernanceError("the membership scope needs at least one country")
        if tuple(sorted(set(countries))) == tuple(sorted(self.current.scope)):
            raise GovernanceError(f"the membership scope is already {', '.join(self.current.scope)}")
        self._scope_set(countries=tuple(dict.fromkeys(countries)), on=on, cause=cause, actor=actor)
        return self.current.number

    @event("ArticleAmended")
    def _amended(self, article: Name, text: Text, on: FuzzyDate, cause: str, actor: str) -> None:
        prev = self.current
        self.versions.append(
            Version(prev.number + 1, on, cause, {**prev.articles, article: text}, prev.scope)
        )

    @event("ScopeSet")
    def _scope_set(self, countries: tuple[Country, ...], on: FuzzyDate, cause: str, actor: str) -> None:
        prev = self.current
        self.versions.append(Version(prev.number + 1, on, cause, dict(prev.articles), countries))


def check_in_scope(charter: Charter | None, country: str, on: FuzzyDate) -> None:
    """Refuse a country outside the scope of the Charter version in force on `on`."""
    version = charter.version_on(on) if charter else Version(0, None, None)
    if country not in version.scope:
        raise OutOfScope(
            f"{country} is outside NEAR's membership scope on {on} "
            f"(Charter version {version.number}: {', '.join(version.scope)})"
        )
