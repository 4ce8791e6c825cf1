"""Shared fixtures: the persona world, signed-in clients, fast hashing for non-auth tests."""

import pytest

from tests.personas import PASSWORD, build_world


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path, monkeypatch):
    # argon2 is what production uses (tested in accounts); tests hash thousands of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    from django.core.cache import cache

    from dangwu.core import sqlite_stats

    cache.clear()
    # The planner-statistics upkeep runs after some request of a process: in a test it would
    # add queries to whichever test's request came at that moment (its own test enables it).
    monkeypatch.setattr(sqlite_stats, "_state", {"requests": 0, "last": float("inf")})


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def client_for(client, world):
    """``client_for("secretary")`` returns a test client signed in as that persona."""

    def sign_in(persona: str):
        client.force_login(world.user(persona))
        return client

    return sign_in


@pytest.fixture
def password():
    return PASSWORD
