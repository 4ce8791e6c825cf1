"""``dangwu check --deploy`` refuses unsafe production settings."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from dangwu.settings import DEFAULT_SECRET_KEY

SAFE = {
    "DEBUG": False,
    "SECRET_KEY": "k7#Vq2!xR9mZp4&Lw8sT1nB6yC3hF0jD5gA-uE_secret-for-tests",
    "FIELD_ENCRYPTION_KEY": "field-key-for-tests-8Jd2Kq9Zm4Xp7Vn1Bc6Lw3",
    "ALLOWED_HOSTS": ["dangwu.example.gov.cn"],
}


@pytest.fixture(autouse=True)
def _no_browser_test_environment(monkeypatch):
    # The browser tests allow the ORM next to Playwright's event loop; Django's own deploy
    # check rightly flags that variable, which is never set in a real deployment.
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)


def deploy_check(settings, **overrides) -> str:
    for name, value in {**SAFE, **overrides}.items():
        setattr(settings, name, value)
    out = StringIO()
    call_command("check", deploy=True, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_safe_production_settings_pass(settings):
    output = deploy_check(settings)  # raises SystemCheckError on any error

    assert "dangwu.E" not in output


@pytest.mark.parametrize(
    ("overrides", "error_id"),
    [
        ({"DEBUG": True}, "dangwu.E001"),
        ({"SECRET_KEY": DEFAULT_SECRET_KEY}, "dangwu.E002"),
        ({"SECRET_KEY": "short"}, "dangwu.E002"),
        ({"FIELD_ENCRYPTION_KEY": DEFAULT_SECRET_KEY}, "dangwu.E003"),
        ({"ALLOWED_HOSTS": []}, "dangwu.E004"),
        ({"ALLOWED_HOSTS": ["127.0.0.1", "localhost"]}, "dangwu.E004"),
        ({"ALLOWED_HOSTS": ["*"]}, "dangwu.E004"),
    ],
)
def test_unsafe_production_setting_fails_the_deploy_check(settings, overrides, error_id):
    with pytest.raises(SystemCheckError) as failure:
        deploy_check(settings, **overrides)

    assert error_id in str(failure.value)


def test_the_development_defaults_fail_the_deploy_check(settings):
    with pytest.raises(SystemCheckError) as failure:
        deploy_check(
            settings,
            DEBUG=True,
            SECRET_KEY=DEFAULT_SECRET_KEY,
            FIELD_ENCRYPTION_KEY=DEFAULT_SECRET_KEY,
            ALLOWED_HOSTS=["127.0.0.1", "localhost", "testserver"],
        )

    for error_id in ("dangwu.E001", "dangwu.E002", "dangwu.E003", "dangwu.E004"):
        assert error_id in str(failure.value)
