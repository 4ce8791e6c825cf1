"""The buttons on an object's page (submit, return, publish ...): one way to run them and answer."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from dangwu.core.errors import DomainError, Forbidden, NotFound, ValidationFailed
from dangwu.core.forms import apply_problems


def act_on_page(
    request: HttpRequest,
    *,
    action: Callable[[], Any],
    done: str,
    back: str,
    page: Callable[..., HttpResponse] | None = None,
    **page_forms: forms.Form,
) -> HttpResponse:
    """Run ``action`` (a service call) for a button on an object's page and answer the person.

    Success: say ``done`` and go back to ``back`` (the object's page). A refusal of the
    action's input with forms on the page: ``page(**page_forms)`` shows the page again with the
    forms keeping what was typed and the problems beside their fields (``page`` renders with
    status 400; it is needed only when forms are given). Any other business refusal: say why
    on the object's page, one message per problem found. Permission refusals propagate, so the
    person gets the same 403/404 as anywhere else.
    """
    if page_forms and page is None:
        raise TypeError("act_on_page needs a page to show its forms again")
    try:
        action()
    except (Forbidden, NotFound):
        raise
    except ValidationFailed as error:
        if page is not None and page_forms:
            for form in page_forms.values():
                apply_problems(form, error, "comment" if "comment" in form.fields else None)
            return page(**page_forms)
        for _field, message in error.errors or [(None, error.message)]:
            messages.error(request, message)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect(back)
