"""Shared fixtures of the portal's tests: columns on the persona world and a publishing helper.

State is built through the services, as the editor persona (or the system for columns).
"""

from datetime import datetime

import pytest

from dangwu.access import SYSTEM
from dangwu.core.visibility import Visibility
from dangwu.portal.models import Article, Column
from dangwu.portal.services import article_create, article_publish, article_submit, column_create


@pytest.fixture
def columns(world) -> dict[str, Column]:
    """A public column ("news"), an internal one ("notices") and an entry point ("school")."""
    return {
        "news": column_create(
            actor=SYSTEM, slug="news", name="机关党建动态", visibility=Visibility.PUBLIC, order=1
        ),
        "notices": column_create(
            actor=SYSTEM,
            slug="notices",
            name="工委通知通告",
            visibility=Visibility.INTERNAL,
            order=2,
        ),
        "school": column_create(
            actor=SYSTEM,
            slug="school",
            name="网上党校",
            visibility=Visibility.INTERNAL,
            order=3,
            link="/school/",
        ),
    }


@pytest.fixture
def write(world, columns):
    """``write(title, column="news", by="editor", **values)`` creates a draft."""

    def make(title: str, column: str = "news", by: str = "editor", **values) -> Article:
        organization = values.pop("organization", None) or (
            world.orgs["org1"] if by in ("secretary",) else world.orgs["root"]
        )
        return article_create(
            actor=world.user(by),
            organization=organization,
            column=columns[column],
            title=title,
            body=values.pop("body", f"<p>{title}的正文。</p>"),
            **values,
        )

    return make


@pytest.fixture
def publish(world, write):
    """``publish(title, column="news", at=None, **values)`` writes, submits and publishes."""

    def make(title: str, column: str = "news", at: datetime | None = None, **values) -> Article:
        editor = world.user("editor")
        article = write(title, column, **values)
        article_submit(actor=editor, article=article)
        return article_publish(actor=editor, article=article, publish_at=at)

    return make
