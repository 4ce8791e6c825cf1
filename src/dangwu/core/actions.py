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
    page: Callable[..., HttpResponse],
    **page_forms: forms.Form,
) -> HttpResponse:
    """Run ``action`` (a service call) for a button on an object's page and answer the person.

    Success: say ``done`` and go back to ``back`` (the object's page). A refusal of the
    action's input with forms on the page: ``page(**page_forms)`` shows the page again with the
    forms keeping what was typed and the problems beside their fields (``page`` renders with
    status 400). Any other business refusal: say why on the object's page. Permission refusals
    propagate, so the person gets the same 403/404 as anywhere else.
    """
    try:
        action()
    except (Forbidden, NotFound):
        raise
    except ValidationFailed as error:
        if page_forms:
            for form in page_forms.values():
                apply_problems(form, error, "comment" if "comment" in form.fields else None)
            return page(**page_forms)
        messages.error(request, error.message)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect(back)
