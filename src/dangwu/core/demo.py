"""The demo data set: each app contributes a builder through the ``demo_builders`` hook.

Builders run in order, share a context dict (organizations, members, accounts made so far) and
use the same services and imports that users use, acting as the system.
"""

import random
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction

from dangwu.core import hooks

DEMO_BUILDERS = "demo_builders"
DEFAULT_DEMO_PASSWORD = "Dangwu@2026"  # noqa: S105  (documented demo password)


@dataclass
class DemoContext:
    password: str
    rng: random.Random
    data: dict[str, Any] = field(default_factory=dict)
    accounts: list[tuple[str, str]] = field(default_factory=list)  # (username, description)


def demo_password() -> str:
    return getattr(settings, "DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD)


@transaction.atomic
def build_demo(*, seed: int = 2026) -> DemoContext:
    """Build the whole demo data set; return the context with the demo accounts."""
    # Demo data is synthetic and must be reproducible: a seeded PRNG, not a secret.
    context = DemoContext(password=demo_password(), rng=random.Random(seed))  # noqa: S311
    builders = sorted(hooks.get_hooks(DEMO_BUILDERS), key=lambda b: getattr(b, "order", 100))
    for builder in builders:
        builder(context)
    return context
