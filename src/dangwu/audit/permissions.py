"""Only the audit administrator reads the audit trail."""

from dangwu import access
from dangwu.access import Role

AUDIT_VIEW = "audit.view"

access.register(
    AUDIT_VIEW,
    roles={Role.AUDITOR},
    scoped=False,
    description="Audit administrator: read and export the audit trail",
)
