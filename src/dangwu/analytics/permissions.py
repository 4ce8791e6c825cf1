"""Who may read visit statistics beyond their own articles' counts."""

from dangwu import access
from dangwu.access import Role

VISITS_VIEW = "analytics.visits_view"

access.register(
    VISITS_VIEW,
    roles={Role.LEADER, Role.EDITOR, Role.REVIEWER},
    scoped=False,
    description="Read visit statistics of the home page, columns and all articles",
)
