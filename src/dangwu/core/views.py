from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from dangwu.accounts.services import care_mode_set
from dangwu.core import hooks
from dangwu.core.context_processors import CARE_COOKIE


@require_GET
@never_cache
def healthz(request):
    """Liveness and database check."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return JsonResponse({"status": "error", "database": str(exc)[:200]}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "vendor": connection.vendor})


@login_required
def home(request):
    """我的待办 first: the few things waiting for this person."""
    return render(request, "core/home.html", {"todos": hooks.todos_for(request.user)})


def _safe_next(request, fallback: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or fallback
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


@require_POST
def care_mode_toggle(request):
    """Switch care mode; remembered per user, or per browser for visitors. Works without JS."""
    enabled = request.POST.get("enabled") == "1"
    response = HttpResponseRedirect(_safe_next(request))
    if request.user.is_authenticated:
        care_mode_set(actor=request.user, enabled=enabled)
    response.set_cookie(
        CARE_COOKIE,
        "1" if enabled else "0",
        max_age=365 * 24 * 3600,
        samesite="Lax",
        httponly=True,
    )
    return response


def forbidden(request, exception=None):
    return render(request, "403.html", status=403)


def not_found(request, exception=None):
    return render(request, "404.html", status=404)
