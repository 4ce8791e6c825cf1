"""The one error type of business rules, mapped to 4xx pages and JSON in one place."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dangwu.audit.models import AuditRecord


class DomainError(Exception):
    """A business rule refused the operation; ``message`` is shown to the user (Chinese)."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    """Does not exist *or* is not visible to the user: both get the same answer."""

    status_code = 404


class Forbidden(DomainError):
    """The user may not do this."""

    status_code = 403
    # The audit record of the refusal, set by access.require (see core.middleware).
    denial: AuditRecord | None = None


class ValidationFailed(DomainError):
    """Input was rejected; ``errors`` lists every problem found (nothing was written)."""

    status_code = 400

    def __init__(self, message: str, *, errors: list | None = None) -> None:
        super().__init__(message)
        self.errors = errors or []
