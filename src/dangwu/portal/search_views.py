"""The search page (全文检索): a GET form, so results can be bookmarked and work without JS."""

from typing import Any, cast

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from dangwu.core.forms import DateRangeForm
from dangwu.core.search import MAX_PAGE, SearchFilters, search
from dangwu.core.search.segment import MAX_QUERY_LENGTH
from dangwu.portal import selectors
from dangwu.portal.enums import SourceKind
from dangwu.portal.models import Column
from dangwu.portal.search import ARTICLE


class SearchForm(DateRangeForm):
    q = forms.CharField(label=_("Search for"), max_length=MAX_QUERY_LENGTH, required=False)
    column: forms.ModelChoiceField[Column] = forms.ModelChoiceField(
        label=_("Column"), queryset=None, required=False, empty_label=_("All columns")
    )
    source = forms.ChoiceField(label=_("Source"), required=False)
    date_from = forms.DateField(
        label=_("Published from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Published until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    page = forms.IntegerField(min_value=1, max_value=MAX_PAGE, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only columns the reader may see are offered: a restricted column's name is not public.
        column = cast(forms.ModelChoiceField[Column], self.fields["column"])
        column.queryset = selectors.columns_readable(user).filter(link="")
        source = cast(forms.ChoiceField, self.fields["source"])
        source.choices = [("", _("All sources")), *SourceKind.choices]
        self.fields["q"].widget.attrs.update({"type": "search", "autocomplete": "off"})

    def filters(self) -> SearchFilters:
        data = self.cleaned_data
        return SearchFilters(
            column=data["column"].pk if data["column"] else None,
            source=data["source"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            kinds=(ARTICLE,),
        )


def search_page(request: HttpRequest) -> HttpResponse:
    """Search the articles the reader may read (visitors: the public ones)."""
    form = SearchForm(request.GET or None, user=request.user)
    results = None
    if form.is_bound and form.is_valid() and form.cleaned_data["q"].strip():
        results = search(
            user=request.user,
            query=form.cleaned_data["q"],
            filters=form.filters(),
            page=form.cleaned_data["page"] or 1,
        )
    return render(request, "portal/search.html", {"form": form, "results": results})
