"""The JSON API at /api/v1/ (django-ninja); schema at /api/v1/openapi.json.

Every operation needs a personal token (``Authorization: Bearer dw_...``) or the browser's
session (with CSRF on unsafe methods), except ``POST /auth/token``, which issues the token, and
the portal's reading operations, which visitors may call for public content.
"""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from dangwu.api.archive import router as archive_router
from dangwu.api.auth import router as auth_router
from dangwu.api.documents import router as documents_router
from dangwu.api.exams import router as exams_router
from dangwu.api.incoming import router as incoming_router
from dangwu.api.library import router as library_router
from dangwu.api.members import router as members_router
from dangwu.api.messages import router as messages_router
from dangwu.api.orgs import router as orgs_router
from dangwu.api.portal import router as portal_router
from dangwu.api.school import router as school_router
from dangwu.api.search import router as search_router
from dangwu.api.security import BrowserSession, PersonalToken, TokenRejected
from dangwu.api.submissions import router as submissions_router
from dangwu.api.training import router as training_router
from dangwu.core.errors import DomainError
from dangwu.core.middleware import domain_error_response

api = NinjaAPI(
    title="Dangwu API",
    version="1",
    urls_namespace="api",
    auth=[PersonalToken(), BrowserSession(csrf=True)],
    # The interactive docs page loads its scripts from a CDN unless ninja is an installed app;
    # the internal network has no internet, so only the schema itself is served.
    docs_url=None,
)


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    # The same mapping the pages use: one place turns business-rule refusals into 4xx.
    return domain_error_response(request, exc)


@api.exception_handler(AuthenticationError)
def _not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    if isinstance(exc, TokenRejected):
        message = exc.message
    else:
        message = _("Sign in, or send a personal API token (Authorization: Bearer ...).")
    response = api.create_response(request, {"detail": message}, status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response


api.add_router("/", auth_router)
api.add_router("/", orgs_router)
api.add_router("/", members_router)
api.add_router("/", portal_router)
api.add_router("/", search_router)
api.add_router("/", messages_router)
api.add_router("/", documents_router)
api.add_router("/", incoming_router)
api.add_router("/", archive_router)
api.add_router("/", school_router)
api.add_router("/", exams_router)
api.add_router("/", training_router)
api.add_router("/", library_router)
api.add_router("/", submissions_router)
