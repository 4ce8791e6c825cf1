"""``dangwu check --deploy`` refuses unsafe production settings."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def dangwu_deploy_checks(app_configs, **kwargs):
    from dangwu.settings import DEFAULT_SECRET_KEY

    errors = []
    if settings.DEBUG:
        errors.append(Error("DANGWU_DEBUG is on; turn it off in production.", id="dangwu.E001"))
    if settings.SECRET_KEY == DEFAULT_SECRET_KEY or len(settings.SECRET_KEY) < 40:
        errors.append(
            Error(
                "DANGWU_SECRET_KEY is the development default or shorter than 40 characters.",
                id="dangwu.E002",
            )
        )
    if settings.FIELD_ENCRYPTION_KEY == DEFAULT_SECRET_KEY:
        errors.append(
            Error(
                "DANGWU_FIELD_KEY must be set: personal data is encrypted with it.",
                id="dangwu.E003",
            )
        )
    hosts = [h for h in settings.ALLOWED_HOSTS if h not in ("127.0.0.1", "localhost", "testserver")]
    if not hosts or "*" in settings.ALLOWED_HOSTS:
        errors.append(
            Error(
                "DANGWU_ALLOWED_HOSTS must name the real host names of this deployment.",
                id="dangwu.E004",
            )
        )
    return errors
