"""Account rules, including the three separated administrators (三员)."""

from dangwu import access
from dangwu.access import Role

PROFILE = "accounts.profile"
ADMIN_USERS = "accounts.admin_users"
ADMIN_ROLES = "accounts.admin_roles"

access.register(PROFILE, authenticated=True, description="Own profile, password, care mode, tokens")
access.register(
    ADMIN_USERS,
    roles={Role.SYSADMIN},
    scoped=False,
    description="System administrator: accounts and configuration in the admin site",
)
access.register(
    ADMIN_ROLES,
    roles={Role.SECADMIN},
    scoped=False,
    description="Security administrator: role grants and security policy",
)
