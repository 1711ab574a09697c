"""Domain errors: each names what went wrong in business terms.

The HTTP edge maps each type to one status code in one place
(``app.entrypoints.http.errors``); nothing else decides status codes.
"""

import uuid


class DomainError(Exception):
    """Base of every business rule violation."""

    code = "domain_error"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    """The record does not exist for this company (another company's included)."""

    code = "not_found"


class Unauthenticated(DomainError):
    code = "unauthenticated"


class Forbidden(DomainError):
    """The caller's role lacks the permission the operation needs."""

    code = "forbidden"


class PermissionDenied(Forbidden):
    """A signed-in person's role lacks the permission: a security event of their company's."""

    def __init__(self, message: str, *, company_id: uuid.UUID, user_id: uuid.UUID, permission: str) -> None:
        super().__init__(message)
        self.company_id = company_id
        self.user_id = user_id
        self.permission = permission


class InvalidTransition(DomainError):
    """The record's current state does not allow the operation."""

    code = "invalid_state"


class RuleViolation(DomainError):
    """The request is well formed but breaks a business rule (e.g. overpayment)."""

    def __init__(self, code: str, message: str, *, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.code = code


class Conflict(DomainError):
    """The request clashes with data that already exists (e.g. a duplicate email)."""

    def __init__(self, code: str, message: str, *, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.code = code


class TimedOut(DomainError):
    """The work was stopped at its time limit; nothing of it was kept."""

    code = "timeout"


class PaymentDeclined(DomainError):
    code = "payment_declined"


class TooManyAttempts(DomainError):
    """Too many failed attempts in a short time: refused until ``retry_after`` seconds have passed."""

    code = "too_many_attempts"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class DependencyRefused(DomainError):
    """An external service refused the request itself: final, sending it again would be refused again."""

    code = "dependency_refused"

    def __init__(self, dependency: str, message: str) -> None:
        super().__init__(message)
        self.dependency = dependency


class DependencyUnavailable(DomainError):
    """An external service needed for the operation did not answer."""

    code = "dependency_unavailable"

    def __init__(self, dependency: str, message: str, *, code: str | None = None, retry_after: int = 5) -> None:
        super().__init__(message)
        self.dependency = dependency
        self.retry_after = retry_after  # seconds a client should wait before trying again
        if code is not None:
            self.code = code
