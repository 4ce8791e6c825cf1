"""Chinese full-text search over the portal's articles: words, ranking, snippets, permissions.

Articles are written and published through the services; the index follows through the
on-commit hooks, which the ``published`` fixture runs as a real commit would.
"""

from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from dangwu.access import SYSTEM
from dangwu.core.models import SearchDocument
from dangwu.core.search import SearchFilters, backends, query, search
from dangwu.core.search.segment import USER_DICTIONARY, index_tokens, query_terms
from dangwu.core.visibility import Visibility
from dangwu.portal.enums import SourceKind
from dangwu.portal.models import Attachment
from dangwu.portal.search import ARTICLE
from dangwu.portal.selectors import articles_readable
from dangwu.portal.services import article_withdraw, column_create


@pytest.fixture
def published(publish, django_capture_on_commit_callbacks):
    """Like ``publish``, with the index updated as after a commit."""

    def make(title, column="news", **values):
        with django_capture_on_commit_callbacks(execute=True):
            return publish(title, column, **values)

    return make


@pytest.fixture
def restricted(world, columns):
    """A restricted column (限定范围) readable by the second Party committee's subtree."""
    column = column_create(
        actor=SYSTEM,
        slug="discipline",
        name="纪检监察信息",
        visibility=Visibility.RESTRICTED,
        restricted_organizations=[world.orgs["org2"]],
    )
    columns["discipline"] = column
    return column


def found(user, query, **filters):
    return [hit.object_id for hit in search(user=user, query=query, **filters).hits]


def test_domain_dictionary_has_at_least_thirty_terms_and_each_is_one_token():
    terms = [line.split()[0] for line in USER_DICTIONARY.read_text("utf-8").splitlines() if line]
    assert len(terms) >= 30
    for term in terms:
        assert query_terms(term) == [term]


def test_compound_terms_also_index_the_words_inside_them():
    tokens = index_tokens("召开组织生活会，开展民主评议党员工作").split()
    assert {"组织生活会", "组织生活", "组织", "民主评议", "党员", "工作"} <= set(tokens)
    assert "，" not in tokens


def test_text_is_normalized_before_segmenting():
    # Kangxi radical ⼀ (from PDFs) and full-width letters fold to what a person types.
    assert index_tokens("⼀个党支部 ＤＪＡＮＧＯ") == index_tokens("一个党支部 django")


def test_two_character_words_are_found(world, published):
    dues = published("关于按时交纳党费的通知", body="<p>请各支部党员按时交纳。</p>")
    other = published("学习强国积分排行", body="<p>本月学习情况。</p>")
    user = world.user("member")
    assert found(user, "党费") == [dues.pk]
    assert found(user, "党员") == [dues.pk]
    assert other.pk not in found(user, "党员")


def test_a_domain_term_is_found_whole_and_by_the_word_inside_it(world, published):
    article = published("认真开好组织生活会", body="<p>各支部按要求开展三会一课。</p>")
    user = world.user("member")
    assert found(user, "组织生活会") == [article.pk]
    assert found(user, "三会一课") == [article.pk]
    assert found(user, "组织生活") == [article.pk]


def test_every_word_of_the_query_must_occur(world, published):
    both = published("党费收缴工作", body="<p>党员党费按月交纳。</p>")
    only_one = published("发展党员工作", body="<p>做好发展党员工作。</p>")
    user = world.user("member")
    assert set(found(user, "党员")) == {both.pk, only_one.pk}
    assert found(user, "党员 党费") == [both.pk]
    assert found(user, "党员党费") == [both.pk]
    assert found(user, "党员 不存在的词语组合") == []


def test_a_match_in_the_title_ranks_above_a_match_in_the_body(world, published):
    in_body = published("本周工作安排", body="<p>周三上午召开主题党日活动筹备会。</p>")
    in_title = published("主题党日活动通知", body="<p>请各支部做好准备。</p>")
    assert found(world.user("member"), "主题党日") == [in_title.pk, in_body.pk]


def test_snippets_mark_the_words_and_escape_everything_else(world, published):
    published(
        "<b>党费</b>管理办法",
        body="<p>第一条 &lt;script&gt;alert(1)&lt;/script&gt; 党费的收缴 & 使用。</p>",
    )
    hit = search(user=world.user("member"), query="党费").hits[0]
    assert str(hit.title) == "&lt;b&gt;<mark>党费</mark>&lt;/b&gt;管理办法"
    assert "<script>" not in hit.snippet
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hit.snippet
    assert "<mark>党费</mark>的收缴 &amp; 使用" in hit.snippet


def test_a_long_body_gives_a_window_around_the_first_match(world, published):
    filler = "这是一段与检索无关的说明文字。" * 40
    published("季度工作总结", body=f"<p>{filler}本季度共收缴党费三万元。{filler}</p>")
    snippet = str(search(user=world.user("member"), query="党费").hits[0].snippet)
    assert snippet.startswith("…")
    assert snippet.endswith("…")
    assert "<mark>党费</mark>" in snippet
    assert len(snippet) < 200


def test_filters_narrow_by_column_source_and_date(world, columns, published):
    now = timezone.now()
    news = published("党建动态一", body="<p>党建工作</p>", at=now - timedelta(days=10))
    notice = published(
        "党建通知二",
        column="notices",
        body="<p>党建工作</p>",
        source_kind=SourceKind.SPEECH,
        at=now - timedelta(days=1),
    )
    user = world.user("member")
    assert found(user, "党建", filters=SearchFilters(column=columns["notices"].pk)) == [notice.pk]
    assert found(user, "党建", filters=SearchFilters(source=SourceKind.SPEECH)) == [notice.pk]
    today = timezone.localdate()
    recent = SearchFilters(date_from=today - timedelta(days=3), date_to=today)
    assert found(user, "党建", filters=recent) == [notice.pk]
    older = SearchFilters(date_to=today - timedelta(days=5))
    assert found(user, "党建", filters=older) == [news.pk]


def test_a_visitor_never_finds_an_internal_article_nor_counts_it(world, published):
    public = published("公开的党建新闻", body="<p>党建新闻正文</p>")
    published("内部的党建通知", column="notices", body="<p>党建通知正文</p>")
    results = search(user=None, query="党建")
    assert [h.object_id for h in results.hits] == [public.pk]
    assert results.total == 1
    assert search(user=None, query="内部 通知").total == 0


def test_restricted_articles_are_found_only_by_their_readers(world, restricted, published):
    secret = published("纪律审查情况通报", column="discipline", visibility=Visibility.RESTRICTED)
    assert found(world.user("other_secretary"), "纪律审查") == [secret.pk]
    assert found(world.user("member"), "纪律审查") == []
    assert found(world.user("secretary"), "纪律审查") == []
    assert search(user=None, query="纪律审查").total == 0


def test_beyond_the_limit_the_newest_readable_matches_are_ranked_and_more_is_said(
    world, published, monkeypatch
):
    monkeypatch.setattr(query, "MAX_RESULTS", 3)
    older = [published(f"学习动态第{n}期", body="<p>党员</p>") for n in range(2)]
    title_match = published("党员大会召开", body="<p>内容</p>")
    newer = [published(f"活动简讯第{n}期", body="<p>党员</p>") for n in range(2)]
    published("党员内部通知", column="notices", body="<p>党员</p>")  # newest, internal
    results = search(user=None, query="党员")
    assert (results.total, results.more) == (3, True)
    # The three newest public ones, the title match first; internal ones take no place.
    assert results.hits[0].object_id == title_match.pk
    assert {h.object_id for h in results.hits} == {title_match.pk, *(a.pk for a in newer)}
    assert not {h.object_id for h in results.hits} & {a.pk for a in older}
    narrower = search(user=None, query="党员 大会")
    assert (narrower.total, narrower.more) == (1, False)


@pytest.mark.parametrize("persona", ["member", "secretary", "other_secretary", None])
def test_search_finds_exactly_the_readable_articles(world, restricted, published, persona):
    # The search audience copies the article audience; this keeps the two from drifting apart.
    published("党员公开新闻")
    published("党员内部通知", column="notices")
    published("党员限定通报", column="discipline", visibility=Visibility.RESTRICTED)
    user = world.user(persona) if persona else None
    readable = set(articles_readable(user).values_list("pk", flat=True))
    assert set(found(user, "党员")) == readable


def test_drafts_withdrawn_and_scheduled_articles_are_not_found(
    world, write, published, django_capture_on_commit_callbacks
):
    write("草稿中的党费通知")
    later = published("定时发布的党费通知", at=timezone.now() + timedelta(hours=1))
    gone = published("将被撤回的党费通知")
    with django_capture_on_commit_callbacks(execute=True):
        article_withdraw(actor=world.user("editor"), article=gone)
    user = world.user("member")
    assert found(user, "党费") == []
    assert not SearchDocument.objects.filter(object_id=gone.pk).exists()
    # The scheduled one is indexed already and appears when its time comes.
    tomorrow = timezone.now() + timedelta(days=1)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("django.utils.timezone.now", lambda: tomorrow)
        assert found(user, "党费") == [later.pk]


def test_the_index_follows_publish_and_withdraw(world, write, django_capture_on_commit_callbacks):
    from dangwu.portal.services import article_publish, article_submit

    editor = world.user("editor")
    article = write("两学一做学习教育安排")
    with django_capture_on_commit_callbacks(execute=True):
        article_submit(actor=editor, article=article)
    assert not SearchDocument.objects.filter(kind=ARTICLE, object_id=article.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        article_publish(actor=editor, article=article)
    assert found(world.user("member"), "两学一做") == [article.pk]
    with django_capture_on_commit_callbacks(execute=True):
        article_withdraw(actor=editor, article=article)
    assert found(world.user("member"), "两学一做") == []


def test_nothing_is_indexed_when_the_transaction_rolls_back(world, write):
    from dangwu.portal.services import article_publish, article_submit

    editor = world.user("editor")
    article = write("入党申请书的写法")
    article_submit(actor=editor, article=article)
    # Without a commit, the on-commit callbacks are discarded with the test's transaction.
    article_publish(actor=editor, article=article)
    assert not SearchDocument.objects.exists()


def test_attachment_text_is_searched(world, write, columns, django_capture_on_commit_callbacks):
    from dangwu.portal.services import article_publish, article_submit

    editor = world.user("editor")
    article = write("会议材料")
    # Built directly: only its extracted text matters here (uploads are tested elsewhere).
    Attachment.objects.create(
        article=article,
        file="portal/test.pdf",
        original_name="附件.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
        text="附件里写着民主评议党员的安排",
    )
    with django_capture_on_commit_callbacks(execute=True):
        article_submit(actor=editor, article=article)
        article_publish(actor=editor, article=article)
    hit = search(user=editor, query="民主评议").hits[0]
    assert hit.object_id == article.pk
    assert "<mark>民主评议</mark>" in hit.snippet


def test_reindex_rebuilds_the_index_and_drops_stale_documents(world, published):
    article = published("党小组会议纪要")
    SearchDocument.objects.all().delete()
    stale = SearchDocument.objects.create(
        kind=ARTICLE,
        object_id=987654,
        title="已删除的党小组文章",
        visibility=Visibility.PUBLIC,
        published_at=timezone.now() - timedelta(days=1),
        title_tokens=index_tokens("已删除的党小组文章"),
    )
    SearchDocument.objects.filter(pk=stale.pk).update(indexed_at=timezone.now() - timedelta(days=1))
    assert found(world.user("member"), "党小组") == [987654]
    call_command("search_reindex")
    assert found(world.user("member"), "党小组") == [article.pk]


def test_reindex_can_segment_in_worker_processes(world, published):
    articles = [published(f"入党积极分子培训第{n}期").pk for n in range(3)]
    SearchDocument.objects.all().delete()
    call_command("search_reindex", "--workers", "2")
    assert sorted(found(world.user("member"), "入党积极分子")) == sorted(articles)


def test_reindex_refuses_no_workers(db):
    with pytest.raises(CommandError, match="at least 1"):
        call_command("search_reindex", "--workers", "0")


def test_reindex_refuses_an_unknown_kind(db):
    with pytest.raises(CommandError, match=r"no\.such"):
        call_command("search_reindex", "no.such")


def test_queries_without_words_find_nothing(world, published):
    published("党建工作")
    assert search(user=world.user("member"), query="，。！？ ").total == 0
    assert search(user=world.user("member"), query="").hits == []


def test_pages_split_the_hits_in_rank_order(world, published):
    ids = [published(f"党建简报第{n}期").pk for n in range(3)]
    user = world.user("member")
    first = search(user=user, query="党建 简报", per_page=2)
    second = search(user=user, query="党建 简报", per_page=2, page=2)
    assert (first.total, first.num_pages, first.has_next) == (3, 2, True)
    got = [h.object_id for h in first.hits + second.hits]
    assert sorted(got) == sorted(ids)
    assert second.first_number == 3


# ---------------------------------------------------------------------------------- the page


def test_the_page_shows_ranked_highlighted_results(client, world, published):
    article = published("关于收缴党费的通知", body="<p>请按时交纳党费。</p>")
    response = client.get("/portal/search/", {"q": "党费"})
    assert response.status_code == 200
    content = response.content.decode()
    assert f'href="/portal/a/{article.pk}/"' in content
    assert "<mark>党费</mark>" in content


def test_the_page_and_the_api_say_when_there_are_more_than_can_be_listed(
    client, published, monkeypatch
):
    monkeypatch.setattr(query, "MAX_RESULTS", 2)
    for n in range(3):
        published(f"党费通知第{n}号")
    content = client.get("/portal/search/", {"q": "党费"}).content.decode()
    assert "超过 2 条结果" in content
    body = client.get("/api/v1/search", {"q": "党费"}).json()
    assert (body["count"], body["more"], len(body["items"])) == (2, True, 2)
    monkeypatch.setattr(query, "MAX_RESULTS", 3)
    assert client.get("/api/v1/search", {"q": "党费"}).json()["more"] is False


def test_the_page_shows_a_visitor_no_internal_title(client, world, published):
    published("内部党费通知", column="notices")
    response = client.get("/portal/search/", {"q": "党费"})
    assert response.status_code == 200
    assert "内部党费通知" not in response.content.decode()
    assert response.context["results"].total == 0


def test_the_page_offers_only_readable_columns(client, world, restricted, columns):
    response = client.get("/portal/search/")
    content = response.content.decode()
    assert columns["news"].name in content
    assert columns["notices"].name not in content
    assert restricted.name not in content


def test_the_page_refuses_a_column_the_reader_may_not_see(client_for, restricted, published):
    published("纪律审查情况通报", column="discipline", visibility=Visibility.RESTRICTED)
    response = client_for("member").get(
        "/portal/search/", {"q": "纪律审查", "column": restricted.pk}
    )
    assert response.status_code == 200
    assert "column" in response.context["form"].errors
    assert response.context["results"] is None
    assert "纪律审查情况通报" not in response.content.decode()


def test_the_page_filters_by_column_and_refuses_a_reversed_date_range(
    client_for, columns, published
):
    published("党建动态", body="<p>党建</p>")
    notice = published("党建通知", column="notices", body="<p>党建</p>")
    client = client_for("member")
    response = client.get("/portal/search/", {"q": "党建", "column": columns["notices"].pk})
    assert [h.object_id for h in response.context["results"].hits] == [notice.pk]
    response = client.get(
        "/portal/search/", {"q": "党建", "date_from": "2026-05-02", "date_to": "2026-05-01"}
    )
    assert response.status_code == 200
    assert response.context["results"] is None
    assert "date_to" in response.context["form"].errors


def test_the_page_has_a_fixed_number_of_queries(
    client_for, published, django_assert_max_num_queries
):
    for n in range(25):
        published(f"党员教育第{n}讲")
    client = client_for("member")
    # PostgreSQL asks one more (the newest id) and widens its window in at most
    # log8(documents / 50,000) + 1 steps: one here, three for a million documents.
    with django_assert_max_num_queries(15):
        response = client.get("/portal/search/", {"q": "党员 教育"})
    assert len(response.context["results"].hits) == 20
    assert response.context["results"].has_next


# ----------------------------------------------------------------------------------- the API


def test_the_api_searches_with_highlighted_html(client_for, published):
    article = published("机关工委召开党建工作会议", body="<p>会议部署了全年党建工作。</p>")
    response = client_for("member").get("/api/v1/search", {"q": "党建 会议"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["terms"] == ["党建", "会议"]
    item = body["items"][0]
    assert item["id"] == article.pk
    assert "<mark>党建</mark>" in item["title_html"]
    assert item["url"] == f"/portal/a/{article.pk}/"


def test_the_api_gives_a_visitor_public_articles_only(client, published):
    public = published("公开党费新闻")
    published("内部党费通知", column="notices")
    body = client.get("/api/v1/search", {"q": "党费"}).json()
    assert body["count"] == 1
    assert [item["id"] for item in body["items"]] == [public.pk]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": ""},
        {"q": "党" * 101},
        {"q": "党费", "page": 0},
        {"q": "党费", "published_from": "2026-05-02", "published_to": "2026-05-01"},
        {"q": "党费", "source_kind": "nonsense"},
    ],
)
def test_the_api_refuses_bad_parameters(client_for, params):
    response = client_for("member").get("/api/v1/search", params)
    assert response.status_code == 422


def test_dates_are_local_days(world, published):
    # 00:30 Beijing time on 1 May is still 30 April in UTC.
    at = timezone.make_aware(timezone.datetime(2026, 5, 1, 0, 30))
    article = published("五一党员志愿服务", at=at)
    may_day = SearchFilters(date_from=date(2026, 5, 1), date_to=date(2026, 5, 1))
    assert found(world.user("member"), "志愿服务", filters=may_day) == [article.pk]


def test_a_narrow_first_window_widens_until_it_finds_every_match(world, published, monkeypatch):
    # PostgreSQL looks at the newest documents first and widens eightfold (no effect on SQLite).
    monkeypatch.setattr(backends.PostgreSQLBackend, "FIRST_WINDOW", 1)
    old = [published(f"党费收缴通知第{n}号").pk for n in range(3)]
    for n in range(12):
        published(f"学习简报第{n}期")
    newer = published("党费使用情况公示").pk
    results = search(user=None, query="党费")
    assert (results.total, results.more) == (4, False)
    assert {h.object_id for h in results.hits} == {*old, newer}
