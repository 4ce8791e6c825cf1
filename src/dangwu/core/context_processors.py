from django.conf import settings

from dangwu.core import hooks

CARE_COOKIE = "dangwu_care"


def care_mode_of(request) -> bool:
    """Care mode: the signed-in person's saved choice, else the browser's cookie."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return bool(user.care_mode)
    return request.COOKIES.get(CARE_COOKIE) == "1"


def platform(request):
    user = getattr(request, "user", None)
    return {
        "care_mode": care_mode_of(request),
        "site_kind": settings.SITE,
        "menu": hooks.menu_for(user) if user is not None and user.is_authenticated else [],
        "idle_minutes": settings.SESSION_IDLE_MINUTES,
    }
