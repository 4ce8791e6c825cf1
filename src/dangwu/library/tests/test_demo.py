"""The demo books go through the importer and split as their sources intend."""

import random

import pytest

from dangwu.core.demo import DemoContext
from dangwu.library.demo import build_library
from dangwu.library.models import Book, Bookmark, ReadingDay, ReadingPosition

pytestmark = pytest.mark.django_db


def test_the_demo_imports_the_classics_and_gives_the_member_a_place_to_continue(world):
    build_library(DemoContext(password="x", rng=random.Random(1)))
    books = {b.title: b for b in Book.objects.all()}
    chapters = {
        title: [c.title for c in book.chapters.order_by("number")] for title, book in books.items()
    }
    assert chapters["论语（选篇）"] == ["学而第一", "为政第二", "里仁第四"]
    assert books["论语（选篇）"].chapters.get(number=1).paragraph_count == 16
    assert books["论语（选篇）"].chapters.get(number=2).paragraph_count == 24
    assert books["论语（选篇）"].chapters.get(number=3).paragraph_count == 26
    assert chapters["孙子兵法（选篇）"] == ["始计第一", "谋攻第三"]
    assert len(chapters["道德经（选章）"]) == 6
    assert chapters["孟子（节选）"] == [
        "天时不如地利（公孙丑下）",
        "生于忧患，死于安乐（告子下）",
        "鱼我所欲也（告子上）",
    ]
    assert ReadingPosition.objects.filter(user__username="demo-member").exists()
    assert Bookmark.objects.filter(user__username="demo-member").count() == 1
    assert ReadingDay.objects.filter(user__username="demo-member").count() == 3
