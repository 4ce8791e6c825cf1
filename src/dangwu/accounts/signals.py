"""Audit sign-in, sign-out, failed sign-in and lockout."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from dangwu.audit.services import audit_record


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit_record(actor=user, action="accounts.signed_in", target=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, action="accounts.signed_out", target=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    audit_record(
        actor=None,
        actor_name=str(credentials.get("username", ""))[:150],
        action="accounts.sign_in_failed",
        success=False,
    )


@receiver(user_locked_out)
def _locked_out(sender, request, username, ip_address, **kwargs):
    audit_record(
        actor=None,
        actor_name=str(username or "")[:150],
        action="accounts.locked_out",
        success=False,
    )
