"""Courses and lessons for the tests, made through the real services."""

from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from dangwu.school import services
from dangwu.school.enums import LessonKind
from dangwu.school.models import Course, Lesson

FILES = Path(__file__).resolve().parent / "files"
# A 3-second VP8 WebM (64×48, solid colour, no sound) made once with ffmpeg:
#   ffmpeg -f lavfi -i "color=c=0xC8102E:size=64x48:rate=5" -t 3 -c:v libvpx -b:v 20k -an -g 15
WEBM = (FILES / "lesson.webm").read_bytes()
TEXT = "<p>党章是党的根本大法。</p><p>学习党章，要把党章的要求落实到日常工作中。</p>"


def webm(name: str = "示例视频.webm") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, WEBM, "video/webm")


def mp4_bytes(seconds: int = 5, timescale: int = 1000) -> bytes:
    """Return a minimal MP4 (ftyp + moov/mvhd) of ``seconds``: enough for the checks."""
    import struct

    ftyp = struct.pack(">I4s4sI4s4s", 24, b"ftyp", b"isom", 512, b"isom", b"mp41")
    mvhd_payload = struct.pack(">B3xIIII", 0, 0, 0, timescale, seconds * timescale) + bytes(80)
    mvhd = struct.pack(">I4s", 8 + len(mvhd_payload), b"mvhd") + mvhd_payload
    moov = struct.pack(">I4s", 8 + len(mvhd), b"moov") + mvhd
    return ftyp + moov


def pdf(text: str = "党章学习") -> SimpleUploadedFile:
    from dangwu.portal.tests.files import pdf as make_pdf

    return SimpleUploadedFile("课件.pdf", make_pdf(text), "application/pdf")


def png(name: str = "幻灯片.png") -> SimpleUploadedFile:
    from dangwu.portal.tests.files import png as make_png

    return SimpleUploadedFile(name, make_png(), "image/png")


def course(world: Any, *, publish: bool = True, lessons: int = 1, **values: Any) -> Course:
    """Return a course of the committee with ``lessons`` text lessons (1 学时, 1 minute each)."""
    admin = world.user("schooladmin")
    made = services.course_create(
        actor=admin,
        title=values.pop("title", "党章学习"),
        category=values.pop("category", "charter"),
        organization=values.pop("organization", world.orgs["root"]),
        **values,
    )
    for n in range(lessons):
        text_lesson(world, made, title=f"第{n + 1}课")
    if publish:
        services.course_publish(actor=admin, course=made)
    return made


def text_lesson(world: Any, course: Course, **values: Any) -> Lesson:
    return services.lesson_create(
        actor=world.user("schooladmin"),
        course=course,
        title=values.pop("title", "总纲"),
        kind=LessonKind.TEXT,
        hours=values.pop("hours", Decimal("1.0")),
        required_minutes=values.pop("required_minutes", 1),
        body=values.pop("body", TEXT),
    )


def video_lesson(world: Any, course: Course, **values: Any) -> Lesson:
    return services.lesson_create(
        actor=world.user("schooladmin"),
        course=course,
        title=values.pop("title", "视频课"),
        kind=LessonKind.VIDEO,
        hours=values.pop("hours", Decimal("0.5")),
        required_minutes=values.pop("required_minutes", 10),
        upload=values.pop("upload", webm()),
    )
