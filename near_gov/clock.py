"""The recorded-time side of the register: today's date and who is recording."""

import getpass
from datetime import UTC, datetime

from domain.values import FuzzyDate


def today() -> FuzzyDate:
    return FuzzyDate.parse(datetime.now(UTC).date())


def default_actor() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers
        return "unknown"
