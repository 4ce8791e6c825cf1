"""How API callers prove who they are: a personal token, or the browser's session."""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from dangwu.accounts.models import User
from dangwu.accounts.services import token_authenticate


class ApiRequest(HttpRequest):
    """The request of an operation behind the API's auth: ``auth`` is the caller.

    An annotation only: ninja sets ``auth`` on Django's own request object.
    """

    auth: User


class ReaderRequest(HttpRequest):
    """The request of an operation open to visitors: ``auth`` is the caller or an anonymous one."""

    auth: User | AnonymousUser


class TokenRejected(AuthenticationError):
    """A bearer token was sent but is unknown, tampered with, revoked or its user disabled."""

    def __init__(self) -> None:
        super().__init__(message=_("The token is not valid or has been revoked."))


class PersonalToken(HttpBearer):
    """``Authorization: Bearer dw_...`` with a token from ``POST /api/v1/auth/token``."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_authenticate(token)
        if user is None:
            # A rejected token ends the request: falling back to the session would hide the
            # reason from a client that believes its token works.
            raise TokenRejected()
        # Code below the API (audit, the access policy) looks at request.user.
        request.user = user
        return user


class BrowserSession(SessionAuth):
    """Django's session, with the CSRF check on unsafe methods, for the platform's own pages."""

    def _get_key(self, request: HttpRequest) -> str | None:
        key = request.COOKIES.get(self.param_name)
        if key is None:
            # Without a session cookie there is nothing to forge; answer 401, not a CSRF 403.
            return None
        exempt = getattr(request, "_ninja_csrf_exempt", False)
        if self.csrf and not exempt and check_csrf(request) is not None:
            raise HttpError(
                403, _("The page has expired or the request was forged. Reload and try again.")
            )
        return key


class Visitor:
    """No credentials at all: a visitor, who reads only what the audiences allow the public.

    Put last, after the token and the session: a rejected token still ends the request.
    """

    def __call__(self, request: HttpRequest) -> AnonymousUser:
        return AnonymousUser()


# The auth of operations that visitors may call too; OPEN_TO_VISITORS marks them in the schema
# (an empty requirement is OpenAPI's "no credentials needed").
READERS = [PersonalToken(), BrowserSession(csrf=True), Visitor()]
OPEN_TO_VISITORS: dict[str, Any] = {"security": [{}]}
