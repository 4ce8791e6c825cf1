"""The portal's pages: reading (home, columns, articles, print) and editing (drafts, review).

Reading pages serve visitors too and ask only the selectors, which filter by audience; editing
pages fetch through ``article_edit_access`` and change things only through the services.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangwu import access
from dangwu.core import hooks
from dangwu.core.actions import act_on_page
from dangwu.core.errors import DomainError, NotFound
from dangwu.core.forms import show_refusal
from dangwu.portal import attachments as files
from dangwu.portal import docx, selectors, services
from dangwu.portal import permissions as perms
from dangwu.portal.cache import for_audience, visitor_page
from dangwu.portal.enums import EDITABLE, ArticleStatus
from dangwu.portal.forms import (
    ArticleForm,
    AttachmentForm,
    DocxForm,
    PublishForm,
    ReturnForm,
    StatusFilterForm,
    WithdrawForm,
)
from dangwu.portal.models import Article, ArticleRevision, Column

HOME_PER_COLUMN = 6
HOME_PINNED = 5
COLUMN_PER_PAGE = 20
MINE_PER_PAGE = 30

# ---------------------------------------------------------------------------------- reading


def _home_lists(user: Any) -> tuple[list[Any], list[Column], list[Article]]:
    """Return the home page's sections (column, latest articles), entry points and notices."""
    sections, entry_points = [], []
    for column in selectors.columns_readable(user):
        if column.link:
            entry_points.append(column)
        elif column.parent_id is None:
            articles = list(selectors.articles_readable(user, column)[:HOME_PER_COLUMN])
            sections.append((column, articles))
    pinned = list(selectors.articles_readable(user).filter(pinned=True)[:HOME_PINNED])
    return sections, entry_points, pinned


@visitor_page
def home(request: HttpRequest) -> HttpResponse:
    """The portal's home: 我的待办 for signed-in people, pinned notices, the latest per column.

    The lists are the same for everyone of one audience (all members, say) and are computed
    once per audience and change. The public site mounts this view at its root.
    """
    user = request.user
    sections, entry_points, pinned = for_audience(user, "home", lambda: _home_lists(user))
    return render(
        request,
        "portal/home.html",
        {
            "todos": hooks.todos_for(user) if user.is_authenticated else None,
            "pinned": pinned,
            "sections": sections,
            "entry_points": entry_points,
        },
    )


def _readable_column(user: Any, slug: str) -> Column:
    column = selectors.columns_readable(user).filter(slug=slug).first()
    if column is None:
        raise NotFound(_("This column does not exist or is not open to you."))
    return column


@visitor_page
def column_page(request: HttpRequest, slug: str) -> HttpResponse:
    """One column's articles, newest first (pinned ones on top), a page at a time."""
    column = _readable_column(request.user, slug)
    if column.link:
        return redirect(column.link)
    articles = selectors.articles_readable(request.user, column)
    page = Paginator(articles, COLUMN_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/column.html",
        {"column": column, "page": page, "public_feed": column.visibility == "public"},
    )


def _neighbours(user: Any, article: Article) -> tuple[Article | None, Article | None]:
    """Return the previous (older) and next (newer) article of the same column."""
    siblings = selectors.articles_readable(user, article.column)
    when = article.publish_at
    older = (
        siblings.filter(publish_at__lte=when)
        .exclude(publish_at=when, id__gte=article.pk)
        .order_by("-publish_at", "-id")
        .first()
    )
    newer = (
        siblings.filter(publish_at__gte=when)
        .exclude(publish_at=when, id__lte=article.pk)
        .order_by("publish_at", "id")
        .first()
    )
    return older, newer


def _article_context(request: HttpRequest, pk: int) -> dict[str, Any]:
    article = selectors.article_read(user=request.user, pk=pk)
    previous, following = _neighbours(request.user, article)
    return {
        "article": article,
        "attachments": _listed_attachments(article),
        "previous": previous,
        "next": following,
    }


def _listed_attachments(article: Article) -> list[Any]:
    """Return the attachments to list under the article: pictures shown in the body are not."""
    return [a for a in article.attachments.all() if str(a.uuid) not in article.body]


@visitor_page
def article_page(request: HttpRequest, pk: int) -> HttpResponse:
    """An article with its attachments, previous / next in its column and a print button."""
    return render(request, "portal/article.html", _article_context(request, pk))


@visitor_page
def article_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The article alone on a plain page, ready for the browser's print (works without JS)."""
    return render(request, "portal/article_print.html", _article_context(request, pk))


# ---------------------------------------------------------------------------------- editing


def _state_label(article: Article, now: Any) -> str:
    if (
        article.status == ArticleStatus.PUBLISHED
        and article.publish_at
        and article.publish_at > now
    ):
        return _("Scheduled for %(time)s") % {
            "time": timezone.localtime(article.publish_at).strftime("%Y-%m-%d %H:%M")
        }
    return str(article.get_status_display())


def _label_states(articles: Any) -> None:
    now = timezone.now()
    for article in articles:
        article.state_label = _state_label(article, now)


@login_required
def my_articles(request: HttpRequest) -> HttpResponse:
    """我的稿件: every article of the organizations the person writes for, by state."""
    access.require(request.user, perms.ARTICLE_WRITE)
    filters = StatusFilterForm(request.GET or None)
    status = filters.cleaned_data["status"] if filters.is_valid() else ""
    articles = selectors.articles_editable(request.user).defer("body", "body_text")
    if status:
        articles = articles.filter(status=status)
    page = Paginator(articles.order_by("-updated_at", "-id"), MINE_PER_PAGE).get_page(
        request.GET.get("page")
    )
    _label_states(page.object_list)
    return render(
        request,
        "portal/my_articles.html",
        {"page": page, "filters": filters, "status": status},
    )


@login_required
def article_create(request: HttpRequest) -> HttpResponse:
    """Write a new article; it is saved as a draft."""
    access.require(request.user, perms.ARTICLE_WRITE)
    if request.method != "POST":
        form = ArticleForm(user=request.user)
        return render(request, "portal/article_form.html", {"form": form})
    form = ArticleForm(request.POST, user=request.user)
    if form.is_valid():
        values = form.service_values()
        try:
            article = services.article_create(
                actor=request.user, organization=form.cleaned_data["organization"], **values
            )
        except DomainError as error:
            show_refusal(form, error, "body")
        else:
            messages.success(request, _("The draft is saved."))
            return redirect("portal:manage", pk=article.pk)
    return render(request, "portal/article_form.html", {"form": form}, status=400)


@login_required
def article_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a draft, returned or withdrawn article."""
    article = selectors.article_edit_access(user=request.user, pk=pk)
    if article.status not in EDITABLE:
        messages.error(
            request,
            _("This article is %(status)s; it can be changed after it is withdrawn or returned.")
            % {"status": article.get_status_display()},
        )
        return redirect("portal:manage", pk=article.pk)
    context: dict[str, Any] = {"article": article}
    if request.method != "POST":
        form = ArticleForm(initial=ArticleForm.initial_for(article), user=request.user)
        del form.fields["organization"]
        return render(request, "portal/article_form.html", {**context, "form": form})
    form = ArticleForm(request.POST, user=request.user)
    del form.fields["organization"]
    if form.is_valid():
        try:
            services.article_update(actor=request.user, article=article, **form.service_values())
        except DomainError as error:
            show_refusal(form, error, "body")
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("portal:manage", pk=article.pk)
    return render(request, "portal/article_form.html", {**context, "form": form}, status=400)


def _manage_context(request: HttpRequest, article: Article, **forms: Any) -> dict[str, Any]:
    user = request.user
    may_review = access.can(user, perms.ARTICLE_REVIEW, article)
    status = article.status
    return {
        "article": article,
        "state_label": _state_label(article, timezone.now()),
        "attachments": list(article.attachments.all()),
        "attachment_form": forms.get("attachment_form") or AttachmentForm(),
        "may_edit": status in EDITABLE,
        "may_submit": status in EDITABLE,
        "may_decide": may_review
        and status == ArticleStatus.SUBMITTED
        and perms.may_publish_in(user, article.column),
        "may_return": may_review and status == ArticleStatus.SUBMITTED,
        "may_withdraw": may_review and status == ArticleStatus.PUBLISHED,
        "may_republish": may_review
        and status == ArticleStatus.WITHDRAWN
        and perms.may_publish_in(user, article.column),
        "is_live": article.is_live,
        "publish_form": forms.get("publish_form") or PublishForm(),
        "return_form": forms.get("return_form") or ReturnForm(),
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(),
    }


@login_required
def article_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """An article as its writers and reviewers see it: state, comment, preview and actions."""
    article = selectors.article_edit_access(user=request.user, pk=pk)
    return render(request, "portal/article_manage.html", _manage_context(request, article))


def _act(request: HttpRequest, article: Article, done: str, action: Any, **forms: Any):
    """Run ``action`` for a button on the article's manage page (see ``act_on_page``)."""
    return act_on_page(
        request,
        action=action,
        done=done,
        back=reverse("portal:manage", args=[article.pk]),
        page=lambda **shown: render(
            request,
            "portal/article_manage.html",
            _manage_context(request, article, **shown),
            status=400,
        ),
        **forms,
    )


@login_required
@require_POST
def article_submit(request: HttpRequest, pk: int) -> HttpResponse:
    article = selectors.article_edit_access(user=request.user, pk=pk)
    return _act(
        request,
        article,
        _("The article is sent to the editors for review."),
        lambda: services.article_submit(actor=request.user, article=article),
    )


def _reviewer_form(
    request: HttpRequest, pk: int, name: str, form_class: Any
) -> tuple[Article, Any, HttpResponse | None]:
    """Fetch the article for a reviewer and check the decision's form.

    Return the article, the form and, when the form has problems, the manage page showing them.
    """
    article = selectors.article_edit_access(user=request.user, pk=pk)
    access.require(request.user, perms.ARTICLE_REVIEW, article)
    form = form_class(request.POST)
    if form.is_valid():
        return article, form, None
    context = _manage_context(request, article, **{name: form})
    return article, form, render(request, "portal/article_manage.html", context, status=400)


@login_required
@require_POST
def article_publish(request: HttpRequest, pk: int) -> HttpResponse:
    article, form, refusal = _reviewer_form(request, pk, "publish_form", PublishForm)
    if refusal:
        return refusal
    moment = form.moment()
    done = (
        _("The article is published.")
        if moment is None
        else _("The article will appear at %(time)s.")
        % {"time": timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")}
    )
    return _act(
        request,
        article,
        done,
        lambda: services.article_publish(actor=request.user, article=article, publish_at=moment),
        publish_form=form,
    )


@login_required
@require_POST
def article_return(request: HttpRequest, pk: int) -> HttpResponse:
    article, form, refusal = _reviewer_form(request, pk, "return_form", ReturnForm)
    if refusal:
        return refusal
    return _act(
        request,
        article,
        _("The article is returned to its author with your comment."),
        lambda: services.article_return(
            actor=request.user, article=article, comment=form.cleaned_data["comment"]
        ),
        return_form=form,
    )


@login_required
@require_POST
def article_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    article, form, refusal = _reviewer_form(request, pk, "withdraw_form", WithdrawForm)
    if refusal:
        return refusal
    return _act(
        request,
        article,
        _("The article is withdrawn from the site."),
        lambda: services.article_withdraw(
            actor=request.user, article=article, comment=form.cleaned_data["comment"]
        ),
        withdraw_form=form,
    )


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    """待审核稿件: submitted articles in the reviewer's subtree, the longest waiting first."""
    access.require(request.user, perms.ARTICLE_REVIEW)
    articles = selectors.articles_to_review(request.user).defer("body", "body_text")
    page = Paginator(articles, MINE_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "portal/review_queue.html", {"page": page})


@dataclass(frozen=True)
class RevisionRow:
    """One line of an article's history: the revision and the labels of the fields it changed."""

    revision: ArticleRevision
    field_labels: list[str]


@login_required
def article_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Who changed what and when, newest first."""
    article = selectors.article_edit_access(user=request.user, pk=pk)
    labels = {
        f.name: f.verbose_name for f in Article._meta.get_fields() if hasattr(f, "verbose_name")
    }
    revisions = [
        RevisionRow(
            revision=revision,
            field_labels=[str(labels.get(f, f)) for f in revision.changed_fields],
        )
        for revision in article.revisions.select_related("changed_by").defer("body")
    ]
    return render(
        request, "portal/article_history.html", {"article": article, "revisions": revisions}
    )


@login_required
def article_from_docx(request: HttpRequest) -> HttpResponse:
    """从 Word 文件创建: upload a .docx and get a draft with its text, tables and pictures."""
    access.require(request.user, perms.ARTICLE_WRITE)
    if request.method != "POST":
        return render(request, "portal/article_docx.html", {"form": DocxForm(user=request.user)})
    form = DocxForm(request.POST, request.FILES, user=request.user)
    if form.is_valid():
        try:
            article = docx.article_from_docx(
                actor=request.user,
                organization=form.cleaned_data["organization"],
                column=form.cleaned_data["column"],
                upload=form.cleaned_data["file"],
            )
        except DomainError as error:
            show_refusal(form, error, "file")
        else:
            messages.success(
                request, _("A draft is made from the Word file. Check it, then submit it.")
            )
            return redirect("portal:manage", pk=article.pk)
    return render(request, "portal/article_docx.html", {"form": form}, status=400)


@login_required
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach a file to an article that can still be changed."""
    article = selectors.article_edit_access(user=request.user, pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            files.attachment_add(
                actor=request.user, article=article, upload=form.cleaned_data["file"]
            )
        except DomainError as error:
            show_refusal(form, error, "file")
        else:
            messages.success(request, _("The file is attached."))
            return redirect("portal:manage", pk=article.pk)
    context = _manage_context(request, article, attachment_form=form)
    return render(request, "portal/article_manage.html", context, status=400)


@login_required
@require_POST
def attachment_delete(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """Remove an attachment from an article that can still be changed."""
    article = selectors.article_edit_access(user=request.user, pk=pk)
    attachment = article.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise NotFound(_("This file does not exist."))
    return _act(
        request,
        article,
        _("The file %(name)s is removed.") % {"name": attachment.original_name},
        lambda: files.attachment_remove(actor=request.user, attachment=attachment),
    )
