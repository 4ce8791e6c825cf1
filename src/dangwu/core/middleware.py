"""Map DomainError to a 4xx page (or JSON under /api/), and note the client address."""

from django.http import JsonResponse
from django.shortcuts import render

from dangwu.core.errors import DomainError, ValidationFailed
from dangwu.core.request_context import address_of, client_address


class DomainErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = client_address.set(address_of(request))
        try:
            return self.get_response(request)
        finally:
            client_address.reset(token)

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError):
            return None
        return domain_error_response(request, exception)


def domain_error_response(request, error: DomainError):
    """Render ``error`` as the page or JSON a person or client should get.

    A refusal raised inside a service's transaction lost its audit record in the rollback;
    it is appended again here, outside the transaction.
    """
    if (denial := getattr(error, "denial", None)) is not None:
        from dangwu.audit.services import audit_keep

        audit_keep(denial)
    if request.path.startswith("/api/"):
        body: dict = {"detail": error.message}
        if isinstance(error, ValidationFailed) and error.errors:
            body["errors"] = [{"field": f, "message": m} for f, m in error.errors]
        return JsonResponse(body, status=error.status_code)
    template = {404: "404.html", 403: "403.html"}.get(error.status_code, "core/error.html")
    return render(request, template, {"message": error.message}, status=error.status_code)
