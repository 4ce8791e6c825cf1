"""Reads: the catalogue, the reader's data, bookmarks, reading time — fixed query counts."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from dangwu.access import SYSTEM
from dangwu.core.errors import NotFound
from dangwu.library import selectors, services
from dangwu.library.tests.factories import book_with, chapter_of
from dangwu.school import selectors as school_selectors

pytestmark = pytest.mark.django_db


def test_the_catalogue_filters_by_category_and_by_words_of_title_or_author(world):
    member = world.user("member")
    book_with(title="论语")
    services.book_update(
        actor=SYSTEM,
        book=book_with(title="共产党宣言"),
        title="共产党宣言",
        author="马克思 恩格斯",
        category="marxism",
    )
    assert [b.title for b in selectors.books_catalogue(user=member, category="marxism")] == [
        "共产党宣言"
    ]
    assert [b.title for b in selectors.books_catalogue(user=member, query="恩格斯")] == [
        "共产党宣言"
    ]
    assert [b.title for b in selectors.books_catalogue(user=member, query="论")] == ["论语"]


def test_the_catalogue_costs_one_query_however_many_books(world, django_assert_num_queries):
    member = world.user("member")
    for i in range(12):
        book_with(title=f"书{i}")
    selectors.books_catalogue(user=member).count()  # warm the grants
    with django_assert_num_queries(1):
        assert len(list(selectors.books_catalogue(user=member))) == 12


def test_the_administrators_do_not_read_the_classics(world):
    book = book_with()
    for persona in ("sysadmin", "secadmin", "auditor"):
        with pytest.raises(NotFound):
            selectors.book_access(user=world.user(persona), pk=book.pk)
        with pytest.raises(NotFound):
            selectors.chapter_access(user=world.user(persona), book_id=book.pk, number=1)


def test_a_missing_chapter_is_not_found(world):
    book = book_with(chapters=1)
    with pytest.raises(NotFound):
        selectors.chapter_access(user=world.user("member"), book_id=book.pk, number=2)


def test_bookmarks_are_only_ever_ones_own(world, django_assert_num_queries):
    member, editor = world.user("member"), world.user("editor")
    book = book_with()
    for number in (1, 2):
        for paragraph in range(3):
            services.bookmark_create(
                actor=member, chapter=chapter_of(book, number), paragraph=paragraph, note="记"
            )
    theirs = services.bookmark_create(actor=editor, chapter=chapter_of(book), paragraph=0)
    with django_assert_num_queries(1):
        mine = list(selectors.bookmarks_of(user=member))
        titles = [(b.book.title, b.chapter.title, b.note) for b in mine]
    assert len(titles) == 6 and theirs.pk not in {b.pk for b in mine}
    assert selectors.bookmarks_of(user=member, book=book).count() == 6
    with pytest.raises(NotFound):
        selectors.bookmark_access(user=member, pk=theirs.pk)


def test_recent_positions_cost_one_query(world, django_assert_num_queries):
    member = world.user("member")
    for i in range(5):
        services.position_save(
            actor=member, chapter=chapter_of(book_with(title=f"书{i}")), paragraph=1
        )
    with django_assert_num_queries(1):
        recent = selectors.positions_recent(user=member, limit=3)
        labels = [(p.book.title, p.chapter.title, p.paragraph) for p in recent]
    assert len(labels) == 3


def test_reading_seconds_are_summed_per_person_and_year_in_one_query(
    world, django_assert_num_queries
):
    member, editor, leader = world.user("member"), world.user("editor"), world.user("leader")
    for user, day, seconds in (
        (member, date(2026, 1, 1), 600),
        (member, date(2026, 12, 31), 60),
        (member, date(2025, 12, 31), 999),
        (editor, date(2026, 5, 1), 120),
    ):
        services.reading_time_record(actor=SYSTEM, user=user, day=day, seconds=seconds)
    with django_assert_num_queries(1):
        totals = selectors.reading_seconds(user_ids=[member.pk, editor.pk, leader.pk], years=[2026])
    assert totals == {(member.pk, 2026): 660, (editor.pk, 2026): 120}
    every_year = selectors.reading_seconds(user_ids=[member.pk])
    assert every_year == {(member.pk, 2026): 660, (member.pk, 2025): 999}


def test_reading_counts_toward_study_hours_at_45_minutes_an_hour(world):
    member = world.user("member")
    services.reading_time_record(actor=SYSTEM, user=member, day=date(2026, 3, 1), seconds=45 * 60)
    services.reading_time_record(actor=SYSTEM, user=member, day=date(2026, 3, 2), seconds=44 * 60)
    services.reading_time_record(actor=SYSTEM, user=member, day=date(2025, 3, 2), seconds=90 * 60)
    hours = school_selectors.study_hours(user_ids=[member.pk], year=2026)
    # 89 minutes make 1.9 study hours, rounded down: time not yet read is never counted.
    assert hours == {member.pk: Decimal("1.9")}
    by_year = {
        y.year: (y.lesson_hours, y.other_hours) for y in school_selectors.hours_by_year(member)
    }
    assert by_year == {
        2026: (Decimal("0.0"), Decimal("1.9")),
        2025: (Decimal("0.0"), Decimal("2.0")),
    }


def test_reading_totals_of_today_and_the_year(world):
    member = world.user("member")
    today = timezone.localdate()
    services.reading_time_record(actor=SYSTEM, user=member, day=today, seconds=120)
    totals = selectors.reading_totals(user=member, today=today)
    assert (totals.today, totals.year) == (120, 120)
