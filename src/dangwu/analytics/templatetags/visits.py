"""Visit counts on pages: shown only to people the access policy lets see them."""

from typing import Any

from django import template

from dangwu.analytics.selectors import article_visits

register = template.Library()


@register.inclusion_tag("analytics/article_visits.html", takes_context=True)
def article_visits_line(context: dict[str, Any], article: Any) -> dict[str, Any]:
    """``{% article_visits_line article %}``: "阅读 N 次 · M 位访客" for its editors only."""
    return {"visits": article_visits(user=context["request"].user, article=article)}
