"""Template helpers. Permission questions go to the access policy, never decided here."""

from django import template

from dangwu import access

register = template.Library()


@register.filter
def may(user, permission: str) -> bool:
    """``{% if user|may:"orgs.member_export" %}`` asks the access policy."""
    return access.can(user, permission)


@register.simple_tag(takes_context=True)
def allowed(context, permission: str, obj=None) -> bool:
    """``{% allowed "orgs.member_reveal" member as can_reveal %}`` asks the access policy."""
    return access.can(context["request"].user, permission, obj)
