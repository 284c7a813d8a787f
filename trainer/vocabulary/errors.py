"""The trainer's one error tree. The API maps it to problem+json in one place (``trainer.api.problems``).

    TrainerError
    ├── ContentError            a scenario, rubric, prompt or eval file is invalid (names file and field)
    ├── InvalidReply            a reply is empty, blank or too long
    ├── JoinRefused             a join code that opens no cohort (unknown, mistyped or revoked)
    ├── NotFound                no such object for this tenant (another tenant's object is NotFound too)
    ├── Conflict                the object is in a state that forbids the request
    │   ├── SessionNotActive    a reply to a completed or withdrawn session
    │   │   └── SessionPaused   a reply to a session the safety screen paused (resume it first)
    │   ├── TurnConflict        another reply to the same session won the race; retry
    │   ├── CohortFull          the cohort has TRAINER_COHORT_MAX_MEMBERS members already
    │   ├── ScenarioExists      the tenant already has a scenario with that id (PUT makes a new version)
    │   ├── ScenarioRetired     a tenant's scenario that was retired: no new sessions
    │   └── BuiltinScenario     a built-in scenario cannot be replaced or retired
    ├── IdempotencyMismatch     the same Idempotency-Key came with a different body
    ├── AuthError               missing, unknown or revoked credentials
    │   └── Forbidden           the key's role may not do this
    ├── RateLimited             too many requests; carries retry_after seconds
    └── ProviderError           a model provider failed (never reaches a client: the turn degrades)
        ├── ProviderUnavailable timeouts, 5xx, open circuit, retries exhausted
        ├── ProviderRefused     quota, billing, auth: retrying will not help
        └── ProviderBadOutput   the answer could not be parsed or validated
"""

from __future__ import annotations


class TrainerError(Exception):
    """Base of every error the trainer raises on purpose."""

    title = "Trainer error"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class ContentError(TrainerError):
    title = "Invalid content file"

    def __init__(self, path: str, detail: str) -> None:
        super().__init__(f"{path}: {detail}")
        self.path = path


class InvalidReply(TrainerError):
    title = "Invalid reply"


class JoinRefused(TrainerError):
    """A join code that does not open any cohort (unknown, mistyped or revoked)."""

    title = "Join code not accepted"


class RewindRefused(TrainerError):
    """A rewind to a turn the live conversation does not have."""

    title = "Cannot rewind to that turn"


class ScenarioRejected(TrainerError):
    """A scenario sent to the API that is not accepted: each issue is a field path and what is wrong."""

    title = "Scenario not accepted"

    def __init__(self, detail: str, issues: list[tuple[str, str]]) -> None:
        super().__init__(detail)
        self.issues = issues


class NotFound(TrainerError):
    title = "Not found"


class Conflict(TrainerError):
    title = "Conflict"


class SessionNotActive(Conflict):
    title = "Session is not active"


class SessionPaused(SessionNotActive):
    """A reply to a session the safety screen paused: resume it first (or end it)."""

    title = "The role-play is paused"


class TurnConflict(Conflict):
    title = "Another reply was posted at the same time"


class IdempotencyMismatch(TrainerError):
    title = "Idempotency-Key reused with a different request"


class AuthError(TrainerError):
    title = "Unauthorized"


class Forbidden(AuthError):
    title = "Forbidden"


class RateLimited(TrainerError):
    title = "Too many requests"

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class ProviderError(TrainerError):
    title = "Model provider error"


class ProviderUnavailable(ProviderError):
    title = "Model provider unavailable"


class ProviderRefused(ProviderError):
    title = "Model provider refused the request"


class ProviderBadOutput(ProviderError):
    title = "Model answer could not be used"


class CohortFull(Conflict):
    title = "Cohort is full"


class ScenarioExists(Conflict):
    title = "Scenario already exists"


class ScenarioRetired(Conflict):
    title = "Scenario retired"


class BuiltinScenario(Conflict):
    title = "Built-in scenario"
