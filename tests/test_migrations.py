"""Migrations are complete and reversible, checked in a separate process on a scratch database."""

import os
import subprocess
import sys

import pytest

OUR_APPS = ["accounts", "audit", "orgs"]


def _dangwu(tmp_path, *args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DANGWU_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "dangwu.settings",
    }
    env.pop("DATABASE_URL", None)
    return subprocess.run(  # noqa: S603  (our own command)
        [sys.executable, "-m", "dangwu.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.slow
def test_models_and_migrations_agree(tmp_path):
    result = _dangwu(tmp_path, "makemigrations", "--check", "--dry-run", *OUR_APPS)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_every_migration_reverses_to_zero_and_applies_again(tmp_path):
    assert _dangwu(tmp_path, "migrate", "--no-input", "-v0").returncode == 0
    for app in reversed(OUR_APPS):
        result = _dangwu(tmp_path, "migrate", app, "zero", "--no-input", "-v0")
        assert result.returncode == 0, f"{app}: {result.stderr}"
    result = _dangwu(tmp_path, "migrate", "--no-input", "-v0")
    assert result.returncode == 0, result.stderr
