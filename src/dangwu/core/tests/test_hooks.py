from collections import defaultdict
from datetime import date

import pytest

from dangwu.core import hooks


@pytest.fixture
def registry(monkeypatch):
    """An empty hooks registry for the test, so registrations do not leak."""
    monkeypatch.setattr(hooks, "_registry", defaultdict(list))


def test_menu_shows_only_what_the_policy_allows_in_order(registry, world):
    @hooks.register(hooks.MENU_ITEMS)
    def items():
        return [
            hooks.MenuItem("审计", "audit:list", "audit.view", order=90),
            hooks.MenuItem("党员", "orgs:members", "orgs.member_view", order=30),
            hooks.MenuItem("组织", "orgs:tree", "orgs.view", order=20),
            hooks.MenuItem("帮助", "core:home", None, order=99),
        ]

    assert [i.label for i in hooks.menu_for(world.user("secretary"))] == ["组织", "党员", "帮助"]
    assert [i.label for i in hooks.menu_for(world.user("auditor"))] == ["审计", "帮助"]


def test_registering_twice_keeps_one_entry(registry):
    def provider():
        return []

    hooks.register(hooks.MENU_ITEMS)(provider)
    hooks.register(hooks.MENU_ITEMS)(provider)

    assert hooks.get_hooks(hooks.MENU_ITEMS) == [provider]


def test_todos_are_collected_from_every_app_urgent_first_then_by_due_date(registry, world):
    @hooks.register(hooks.TODO_PROVIDERS)
    def documents(user):
        return [
            hooks.TodoItem("签收公文", "/d/1", "documents", due=date(2026, 5, 3)),
            hooks.TodoItem("催办", "/d/2", "documents", due=date(2026, 5, 9), urgent=True),
        ]

    @hooks.register(hooks.TODO_PROVIDERS)
    def school(user):
        return [
            hooks.TodoItem("学习课程", "/s/1", "school"),
            hooks.TodoItem("考试", "/s/2", "school", due=date(2026, 5, 1)),
        ]

    titles = [t.title for t in hooks.todos_for(world.user("member"))]

    assert titles == ["催办", "考试", "签收公文", "学习课程"]


def test_todo_providers_receive_the_person(registry, world):
    seen = []

    @hooks.register(hooks.TODO_PROVIDERS)
    def provider(user):
        seen.append(user)
        return []

    hooks.todos_for(world.user("member"))

    assert seen == [world.user("member")]


def test_home_page_lists_the_todos(registry, client_for):
    @hooks.register(hooks.TODO_PROVIDERS)
    def provider(user):
        return [hooks.TodoItem("签收《关于开展主题党日的通知》", "/d/9", "documents", urgent=True)]

    body = client_for("member").get("/").content.decode()

    assert "签收《关于开展主题党日的通知》" in body
    assert 'href="/d/9"' in body
