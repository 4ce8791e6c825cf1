"""API of mail and notifications: same services and policy as the pages."""

from ninja import Router

router = Router(tags=["mail"])
