from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from dangwu.accounts import services
from dangwu.accounts.forms import PasswordChangeForm, SignInForm, TokenForm
from dangwu.core.errors import ValidationFailed
from dangwu.core.forms import apply_problems


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


def locked_out(request, original_response=None, credentials=None):
    """Shown after too many failed sign-ins (django-axes calls this): say so plainly."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = _(
        "This account is locked for %(minutes)d minutes after %(limit)d wrong passwords. "
        "Please try again later, or ask the system administrator to unlock it."
    ) % {"minutes": minutes, "limit": settings.AXES_FAILURE_LIMIT}
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429)
    form = SignInForm(request, data=request.POST or None)
    return render(
        request, "accounts/login.html", {"form": form, "locked_message": message}, status=429
    )


@login_required
@never_cache
def keepalive(request):
    """Renew the idle timer (the session is saved on every request); nothing else."""
    return HttpResponse(status=204)


@login_required
def profile(request):
    member = getattr(request.user, "member", None)
    tokens = request.user.api_tokens.filter(revoked_at__isnull=True)
    return render(
        request,
        "accounts/profile.html",
        {
            "member": member,
            "grants": request.user.role_assignments.select_related("organization"),
            "tokens": tokens,
            "token_form": TokenForm(),
            "new_token": request.session.pop("new_token", None),
        },
    )


@login_required
def password_change(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(
                actor=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except ValidationFailed as exc:
            apply_problems(form, exc, default_field="new_password")
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password has been changed."))
            return redirect("accounts:profile")
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
@require_POST
def token_create(request):
    form = TokenForm(request.POST)
    if form.is_valid():
        _token, secret = services.token_issue(actor=request.user, name=form.cleaned_data["name"])
        # Shown once on the next page, then gone from the session.
        request.session["new_token"] = secret
    return redirect("accounts:profile")


@login_required
@require_POST
def token_revoke(request, pk: int):
    services.token_revoke(actor=request.user, token_id=pk)
    messages.success(request, _("The token has been revoked."))
    return redirect("accounts:profile")
