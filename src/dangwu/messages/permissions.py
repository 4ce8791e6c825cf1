"""Who has a mailbox and who may write to whom (see docs/mail.md).

- Every person holding a business role has a mailbox: they read what they received and write
  to people and organizations anywhere (an organization means its secretary and clerks).
- Writing to everyone holding a role ("all branch secretaries") is a broadcast: for leaders,
  document clerks, secretaries and organization clerks, and it reaches the holders of that role
  inside the sender's own subtrees only.
- The three administrators (三员) hold no business role, so they have no mailbox; every
  signed-in person has a notification centre, since the platform may tell anyone something.
- Nobody reads another person's mail: a message is for its sender and its recipients only
  (``selectors.message_access``), anyone else is answered as if it did not exist.
"""

from dangwu import access
from dangwu.access import BUSINESS_ROLES, Role

MAILBOX = "mail.mailbox"
WRITE_TO_ROLE = "mail.write_to_role"
NOTIFICATIONS = "mail.notifications"

access.register(
    MAILBOX,
    roles=BUSINESS_ROLES,
    scoped=False,
    description="Have a mailbox: read one's mail, write to people and organizations",
)
access.register(
    WRITE_TO_ROLE,
    roles={Role.LEADER, Role.DOC_CLERK, Role.SECRETARY, Role.ORG_CLERK},
    description="Write to every holder of a role inside one's own subtrees",
)
access.register(
    NOTIFICATIONS,
    authenticated=True,
    description="See and mark one's own notifications, choose how they come by e-mail",
)
