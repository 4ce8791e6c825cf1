"""Registry through which apps plug into shared surfaces (menu, 我的待办, ...).

Apps register in their ``hooks.py``; no central file lists them. Registration happens at import
time in every process alike, so two workers never disagree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

_registry: dict[str, list[Callable[..., Any]]] = defaultdict(list)


def register(hook_name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the decorated function under ``hook_name``."""

    def decorator(fn: Callable[..., Any]) -> Callable[..., Any]:
        if fn not in _registry[hook_name]:
            _registry[hook_name].append(fn)
        return fn

    return decorator


def get_hooks(hook_name: str) -> list[Callable[..., Any]]:
    """Return the functions registered under ``hook_name`` in registration order."""
    return list(_registry[hook_name])


@dataclass(frozen=True)
class MenuItem:
    """A main-menu entry; shown only when ``permission`` (an access-policy name) allows it."""

    label: str | StrPromise  # usually gettext_lazy, translated when the menu is drawn
    url_name: str
    permission: str | None = None
    order: int = 100


@dataclass(frozen=True)
class TodoItem:
    """One thing waiting for a person in 我的待办.

    ``action_url`` and ``action_label``, when given, add a button that POSTs to ``action_url``
    (e.g. 签收 in one click); the action's view redirects to where the person continues.
    """

    title: str
    url: str
    kind: str
    due: Any = None
    urgent: bool = False
    action_url: str = ""
    action_label: str = ""


MENU_ITEMS = "menu_items"
TODO_PROVIDERS = "todo_providers"


def menu_for(user: Any, hook_name: str = MENU_ITEMS) -> list[MenuItem]:
    """Return the menu entries the user may see, in order.

    ``hook_name`` names another list of entries drawn the same way (e.g. the school's own).
    """
    from dangwu import access

    items: list[MenuItem] = []
    for provider in get_hooks(hook_name):
        items.extend(provider())
    return sorted(
        (item for item in items if item.permission is None or access.can(user, item.permission)),
        key=lambda item: (item.order, item.label),
    )


def todos_for(user: Any) -> list[TodoItem]:
    """Collect 我的待办 from every app; urgent first, then by due date."""
    todos: list[TodoItem] = []
    for provider in get_hooks(TODO_PROVIDERS):
        todos.extend(provider(user))
    return sorted(todos, key=lambda t: (not t.urgent, t.due is None, str(t.due or "")))
