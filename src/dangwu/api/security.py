"""How API callers prove who they are: a personal token, or the browser's session."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from dangwu.accounts.services import token_authenticate


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
