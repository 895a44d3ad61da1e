"""Domain errors. Every refusal of the register is a GovernanceError; its exit code
tells a caller whether the register refused (1), the input was bad (2) or a
concurrent change won (3)."""


class GovernanceError(Exception):
    """Raised when the register refuses a command."""

    exit_code = 1


class InvalidInput(GovernanceError):
    """Raised when a value given to a command is malformed (a bad date, country, reference)."""

    exit_code = 2


class ConcurrentChange(GovernanceError):
    """Raised when another writer changed the same record first; retrying is safe."""

    exit_code = 3

    def __init__(self, what: str = "the register"):
        super().__init__(f"{what} was changed concurrently by another writer; retry")


class NotFound(GovernanceError):
    """Raised when a named region, application, assembly or committee is not in the register."""


class AmbiguousName(GovernanceError):
    """Raised when a name matches regions of several countries and none was chosen."""

    exit_code = 2  # bad input: the country settles it


class AlreadyRegistered(GovernanceError):
    """Raised when a region with the same name is already registered for that country."""


class AlreadyExists(GovernanceError):
    """Raised when an assembly, committee or record with that key already exists."""


class CaseOpen(GovernanceError):
    """Raised when a fact would leave an open case behind that could no longer be taken further."""


class StatusRefused(GovernanceError):
    """Raised when a membership status change is not allowed from the region's status."""


class NotAMember(GovernanceError):
    """Raised when a region must be a member on a date (host, coordinator) and is not."""


class TransitionRefused(GovernanceError):
    """Raised when a step is not allowed in a case's current state."""

    def __init__(self, case: str, state: str, step: str, allowed: list[str]):
        self.case, self.state, self.step, self.allowed = case, state, step, allowed
        nxt = ", ".join(allowed) if allowed else "none (the case is closed)"
        super().__init__(f"{case} is {state}: cannot {step}; allowed next steps: {nxt}")


class AssemblyRefused(GovernanceError):
    """Raised when an assembly cannot take a decision (closed, wrong body, not scheduled)."""


class OutOfScope(GovernanceError):
    """Raised when a region's country is outside the Charter's membership scope on that date."""


class DateRefused(GovernanceError):
    """Raised when an effective date is after the recorded time or out of order."""


class IntegrityFailure(GovernanceError):
    """Raised when the hash chain, a seal, or a replayed assembly differs from the record."""

    exit_code = 4
