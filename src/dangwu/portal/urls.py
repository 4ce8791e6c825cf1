from django.contrib.sitemaps.views import sitemap
from django.urls import path

from dangwu.portal import downloads, search_views, views
from dangwu.portal.feeds import ColumnFeed
from dangwu.portal.sitemaps import SITEMAPS

app_name = "portal"

urlpatterns = [
    # Reading: open to visitors, filtered by each column's and article's audience.
    path("", views.home, name="home"),
    path("c/<slug:slug>/", views.column_page, name="column"),
    path("c/<slug:slug>/rss.xml", ColumnFeed(), name="feed"),
    path("a/<int:pk>/", views.article_page, name="article"),
    path("a/<int:pk>/print/", views.article_print, name="article_print"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("search/", search_views.search_page, name="search"),
    # By uuid, so the addresses survive the export to the public site.
    path("files/<uuid:key>/", downloads.attachment_download, name="attachment_download"),
    # Editing.
    path("mine/", views.my_articles, name="mine"),
    path("mine/new/", views.article_create, name="create"),
    path("mine/new/docx/", views.article_from_docx, name="create_docx"),
    path("mine/<int:pk>/", views.article_manage, name="manage"),
    path("mine/<int:pk>/edit/", views.article_edit, name="edit"),
    path("mine/<int:pk>/history/", views.article_history, name="history"),
    path("mine/<int:pk>/submit/", views.article_submit, name="submit"),
    path("mine/<int:pk>/publish/", views.article_publish, name="publish"),
    path("mine/<int:pk>/return/", views.article_return, name="return"),
    path("mine/<int:pk>/withdraw/", views.article_withdraw, name="withdraw"),
    path("mine/<int:pk>/attachments/", views.attachment_upload, name="attachment_add"),
    path(
        "mine/<int:pk>/attachments/<int:attachment_pk>/remove/",
        views.attachment_delete,
        name="attachment_remove",
    ),
    path("review/", views.review_queue, name="review"),
]
