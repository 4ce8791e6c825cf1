"""Who and where the current request comes from, for audit records written deep in services.

A context variable is per thread and per async task, so concurrent requests never mix.
"""

from contextvars import ContextVar

client_address: ContextVar[str | None] = ContextVar("client_address", default=None)


def address_of(request) -> str:
    """Return the client address (the proxy's X-Forwarded-For is trusted only when configured)."""
    return request.META.get("REMOTE_ADDR", "") or ""
