"""Presentation of audit records in templates."""

from django import template

from dangwu.audit import labels

register = template.Library()


@register.filter
def action_label(action: str) -> str:
    """``{{ record.action|action_label }}``: the readable name of an action."""
    return labels.action_label(action)


@register.filter
def details_text(details: dict) -> str:
    """``{{ record.details|details_text }}``: the details as one line."""
    return labels.details_text(details or {})
