"""Reading a book file into chapters: plain text, Markdown and EPUB, checked before keeping any.

Nothing here writes to the database; :func:`parse_book` returns a :class:`ParsedBook` or raises
``ValidationFailed`` with a Chinese message (field ``file``). Each chapter is a list of blocks
(paragraphs, headings, lists, quotations) of sanitized HTML; the reader numbers them.

Limits (settings, each with a default):

- ``LIBRARY_BOOK_MAX_BYTES`` (20 MiB): the largest file accepted.
- ``LIBRARY_EPUB_MAX_UNPACKED_BYTES`` (60 MiB): what an EPUB may unpack to in all.
- ``LIBRARY_EPUB_MAX_RATIO`` (100): how much larger than its packed size a part may unpack to.
"""

import codecs
import html
import io
import os
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote
from xml.etree import ElementTree

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt

from dangwu.core import files
from dangwu.core.errors import ValidationFailed
from dangwu.core.html import html_to_text, sanitize_html
from dangwu.library.enums import BookFormat

EXTENSIONS = {
    ".txt": BookFormat.TEXT,
    ".text": BookFormat.TEXT,
    ".md": BookFormat.MARKDOWN,
    ".markdown": BookFormat.MARKDOWN,
    ".epub": BookFormat.EPUB,
}
ACCEPT = ",".join(EXTENSIONS)
MAX_CHAPTERS = 2000
MAX_BLOCKS = 20000  # paragraphs in one chapter
MAX_TITLE = 200
MAX_ZIP_ENTRIES = 5000
# Below this size a part's compression ratio says nothing: a few KB of spaces pack 1000:1.
RATIO_FLOOR_BYTES = 256 * 1024
MAX_XML_BYTES = 2 * 1024 * 1024


def max_bytes() -> int:
    return int(getattr(settings, "LIBRARY_BOOK_MAX_BYTES", 20 * 1024 * 1024))


def max_unpacked_bytes() -> int:
    return int(getattr(settings, "LIBRARY_EPUB_MAX_UNPACKED_BYTES", 60 * 1024 * 1024))


def max_ratio() -> int:
    return int(getattr(settings, "LIBRARY_EPUB_MAX_RATIO", 100))


@dataclass
class ParsedChapter:
    title: str
    blocks: list[str]

    @property
    def text(self) -> str:
        return "\n".join(html_to_text(b) for b in self.blocks)


@dataclass
class ParsedBook:
    format: str
    title: str = ""
    author: str = ""
    chapters: list[ParsedChapter] = field(default_factory=list)


def refuse(message: str) -> ValidationFailed:
    return ValidationFailed(message, errors=[("file", message)])


# ------------------------------------------------------------------------------- blocks

_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:\"[^\"]*\"|'[^']*'|[^'\">])*)>")
_VOID = {"br", "hr", "img", "wbr"}
_BLOCK_TAGS = {
    "p",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "blockquote",
    "table",
    "figure",
}
# Tags dropped with their markers but not their text: links inside a book lead nowhere here, and
# pictures of an imported book are not kept.
_UNWRAP = re.compile(
    r"</?a\b[^>]*>|<img\b[^>]*>|</?figure>|<figcaption>.*?</figcaption>", re.I | re.S
)
_H1 = re.compile(r"<(/?)h1\b", re.I)


def clean_blocks(raw_html: str) -> list[str]:
    """Sanitize ``raw_html`` (core.html) and cut it into top-level blocks, dropping empty ones."""
    cleaned = _UNWRAP.sub("", sanitize_html(_H1.sub(r"<\1h2", raw_html)))
    blocks: list[str] = []
    loose: list[str] = []

    def flush_loose() -> None:
        text = "".join(loose)
        loose.clear()
        if html_to_text(text).strip():
            blocks.append(f"<p>{text.strip()}</p>")

    depth = 0
    start = 0
    position = 0
    for match in _TAG.finditer(cleaned):
        closing, name = match.group(1) == "/", match.group(2).lower()
        if depth == 0:
            between = cleaned[position : match.start()]
            if name in _BLOCK_TAGS and not closing:
                loose.append(between)
                flush_loose()
                start = match.start()
                depth = 1
            elif name == "hr" or name == "br":
                loose.append(between)
                flush_loose()
            else:
                loose.append(between + match.group(0))
        elif name not in _VOID:
            depth += -1 if closing else 1
            if depth == 0:
                block = cleaned[start : match.end()]
                if html_to_text(block).strip():
                    blocks.append(block)
        position = match.end()
    if depth == 0:
        loose.append(cleaned[position:])
        flush_loose()
    return blocks


def _text_blocks(lines: list[str]) -> list[str]:
    return [f"<p>{html.escape(line.strip())}</p>" for line in lines if line.strip()]


def _short(title: str) -> str:
    title = " ".join(title.split())
    return title[:MAX_TITLE]


# ------------------------------------------------------------------------------- plain text

_NUM = "0-9０-９一二三四五六七八九十百千零〇两"
HEADING = re.compile(
    rf"^(?:第[{_NUM}]+[章回篇节卷部讲](?:[\s　:：、.．]+\S.{{0,40}})?"
    rf"|[^\s，。；：！？、“”（）()]{{1,8}}第[{_NUM}]+"
    rf"|卷[{_NUM}]+(?:[\s　]+\S.{{0,40}})?)$"
)


def is_heading(line: str) -> bool:
    """Return True for a line that starts a chapter: 第一章 …, 第三回 …, 学而第一, 卷一 …."""
    line = line.strip()
    return (
        0 < len(line) <= 50
        and not line.endswith(("。", "；", "，", "："))
        and bool(HEADING.match(line))
    )


def decode_text(data: bytes) -> str:
    """Return the text of a .txt or .md file: UTF-8 (with or without BOM), else GB18030."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    elif b"\x00" not in data:
        for encoding in ("utf-8", "gb18030"):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
    raise refuse(
        _(
            "The text of this file could not be read: it is neither UTF-8 nor GB18030 (GBK) "
            "text. Please open it in a text editor, save it as “UTF-8” and upload it again."
        )
    )


def parse_text(text: str, *, fallback_title: str) -> ParsedBook:
    """Split plain text into chapters at heading lines; no headings makes one chapter."""
    book = ParsedBook(format=BookFormat.TEXT)
    front: list[str] = []
    current: tuple[str, list[str]] | None = None
    sections: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        if is_heading(line):
            current = (_short(line), [])
            sections.append(current)
        elif current is None:
            front.append(line)
        else:
            current[1].append(line)
    front_blocks = _text_blocks(front)
    if not sections:
        book.chapters = [ParsedChapter(_short(fallback_title), front_blocks)]
        return book
    if front_blocks:
        book.chapters.append(ParsedChapter(str(_("Front matter")), front_blocks))
    book.chapters += [ParsedChapter(title, _text_blocks(lines)) for title, lines in sections]
    return book


# ------------------------------------------------------------------------------- Markdown


def _markdown() -> MarkdownIt:
    # Raw HTML in the source is shown as text, not passed through; the output is sanitized too.
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def parse_markdown(text: str, *, fallback_title: str) -> ParsedBook:
    """Split Markdown into chapters at its headings and render each chapter.

    Chapters start at the highest heading level used more than once; a single heading of a
    higher level at the top is the book's title.
    """
    md = _markdown()
    tokens = md.parse(text)
    headings: list[tuple[int, int, int, str]] = []  # level, first line, line after, text
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.level == 0 and token.map:
            inline = tokens[index + 1].content if index + 1 < len(tokens) else ""
            headings.append((int(token.tag[1]), token.map[0], token.map[1], inline.strip()))
    lines = text.splitlines()
    book = ParsedBook(format=BookFormat.MARKDOWN)
    levels = sorted({h[0] for h in headings})
    split_level = levels[0] if levels else 0
    title_line = -1
    if len(levels) > 1 and [h[0] for h in headings].count(levels[0]) == 1:
        top = next(h for h in headings if h[0] == levels[0])
        if top == headings[0]:
            book.title, title_line = _short(top[3]), top[1]
            split_level = levels[1]
    cuts = [h for h in headings if h[0] == split_level and h[1] != title_line]

    def render(first: int, last: int) -> list[str]:
        chunk = [ln for i, ln in enumerate(lines[first:last], first) if i != title_line]
        return clean_blocks(md.render("\n".join(chunk)))

    if not cuts:
        book.chapters = [ParsedChapter(book.title or _short(fallback_title), render(0, len(lines)))]
        return book
    front = render(0, cuts[0][1])
    if front:
        book.chapters.append(ParsedChapter(str(_("Front matter")), front))
    for i, (_level, _first, after, title) in enumerate(cuts):
        end = cuts[i + 1][1] if i + 1 < len(cuts) else len(lines)
        book.chapters.append(
            ParsedChapter(_short(title) or _("Chapter %(n)s") % {"n": i + 1}, render(after, end))
        )
    return book


# ------------------------------------------------------------------------------- EPUB

_BAD_NAME = re.compile(r"(^|/)\.\.(/|$)|^/|^[a-zA-Z]:|\\|[\x00-\x1f]")


def _bomb() -> ValidationFailed:
    return refuse(
        _(
            "This e-book unpacks to far more than its size (more than %(limit)s, or parts "
            "packed more than %(ratio)s times). It may be damaged or made to harm the server, "
            "so it was not imported."
        )
        % {"limit": filesizeformat(max_unpacked_bytes()), "ratio": max_ratio()}
    )


def _path_trick(name: str) -> ValidationFailed:
    return refuse(
        _(
            "The e-book contains a part named “%(name)s”, which points outside the book. Such "
            "files are refused; please use another copy of the book."
        )
        % {"name": name[:80]}
    )


def _not_epub() -> ValidationFailed:
    return refuse(
        _(
            "This file is not a readable EPUB e-book (its table of contents is missing or "
            "damaged). Please check the file or export the book again."
        )
    )


class _Archive:
    """An EPUB's zip with its sizes checked before anything is unpacked; reads are counted."""

    def __init__(self, data: bytes) -> None:
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
            raise _not_epub() from None
        if len(infos) > MAX_ZIP_ENTRIES:
            raise _bomb()
        total = 0
        for info in infos:
            if _BAD_NAME.search(info.filename):
                raise _path_trick(info.filename)
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > RATIO_FLOOR_BYTES and ratio > max_ratio():
                raise _bomb()
        if total > max_unpacked_bytes():
            raise _bomb()
        self.infos = {i.filename: i for i in infos}
        self.budget = max_unpacked_bytes()

    def read(self, name: str, limit: int | None = None) -> bytes:
        info = self.infos.get(name)
        if info is None:
            raise _not_epub()
        allowed = min(info.file_size, self.budget, limit if limit is not None else info.file_size)
        if info.file_size > allowed:
            raise _bomb()
        try:
            with self.zip.open(info) as member:
                data = member.read(allowed + 1)
        except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError):
            # A CRC mismatch means the part is not what its header declares (or damaged).
            raise _not_epub() from None
        if len(data) > allowed:  # more than declared: a lying header
            raise _bomb()
        self.budget -= len(data)
        return data


def _xml(data: bytes) -> ElementTree.Element:
    # A DOCTYPE can declare entities (billion laughs, external files): an EPUB's container and
    # package documents need none, so any is refused before parsing.
    if re.search(rb"<!(DOCTYPE|ENTITY)", data, re.I):
        raise _not_epub()
    try:
        return ElementTree.fromstring(data)  # noqa: S314  (no DTD, bounded input)
    except ElementTree.ParseError:
        raise _not_epub() from None


def _local(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _first_text(root: ElementTree.Element, name: str) -> str:
    for element in root.iter():
        if _local(element.tag) == name and (element.text or "").strip():
            return _short(element.text or "")
    return ""


_BODY = re.compile(r"<body\b[^>]*>(.*)</body\s*>", re.I | re.S)
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.I | re.S)
_HEADING = re.compile(r"^<h[1-6][^>]*>.*</h[1-6]>$", re.S)


def _resolve(base: str, href: str) -> str:
    href = unquote(href.split("#", 1)[0])
    path = posixpath.normpath(posixpath.join(base, href)) if href else ""
    if not path or path.startswith("../") or path == ".." or _BAD_NAME.search(path):
        raise _path_trick(href)
    return path


def parse_epub(data: bytes, *, fallback_title: str) -> ParsedBook:
    """Read an EPUB: container.xml → package (OPF) → spine order → XHTML chapters, sanitized."""
    archive = _Archive(data)
    declared = archive.read("mimetype", 100) if "mimetype" in archive.infos else None
    if declared is not None and declared.strip() != b"application/epub+zip":
        raise _not_epub()
    container = _xml(archive.read("META-INF/container.xml", MAX_XML_BYTES))
    rootfile = next(
        (e.get("full-path", "") for e in container.iter() if _local(e.tag) == "rootfile"), ""
    )
    opf_path = _resolve("", rootfile) if rootfile else ""
    if not opf_path:
        raise _not_epub()
    package = _xml(archive.read(opf_path, MAX_XML_BYTES))
    base = posixpath.dirname(opf_path)
    manifest = {
        e.get("id", ""): (e.get("href", ""), e.get("media-type", ""))
        for e in package.iter()
        if _local(e.tag) == "item"
    }
    book = ParsedBook(
        format=BookFormat.EPUB,
        title=_first_text(package, "title"),
        author=_first_text(package, "creator")[:100],
    )
    spine = [e for e in package.iter() if _local(e.tag) == "itemref"]
    for itemref in spine:
        if itemref.get("linear") == "no":
            continue
        href, media = manifest.get(itemref.get("idref", ""), ("", ""))
        if not href or "html" not in media:
            continue
        source = archive.read(_resolve(base, href)).decode("utf-8", errors="replace")
        body = _BODY.search(source)
        blocks = clean_blocks(body.group(1) if body else source)
        if not blocks:
            continue  # a cover or an empty page
        title = ""
        if _HEADING.match(blocks[0]):
            title = _short(html_to_text(blocks.pop(0)))
        if not title and (found := _TITLE.search(source)):
            title = _short(html_to_text(sanitize_html(found.group(1))))
        if not blocks:
            continue
        book.chapters.append(
            ParsedChapter(title or _("Chapter %(n)s") % {"n": len(book.chapters) + 1}, blocks)
        )
        if len(book.chapters) > MAX_CHAPTERS:
            break
    if not book.chapters:
        raise refuse(_("This e-book contains no text to read."))
    if not book.title:
        book.title = _short(fallback_title)
    return book


# ------------------------------------------------------------------------------- entry point


def _read_upload(upload: Any) -> bytes:
    upload.seek(0)
    data = upload.read(max_bytes() + 1)
    upload.seek(0)
    return bytes(data)


def parse_book(upload: Any) -> ParsedBook:
    """Check an uploaded book file by its name *and* content, and return its chapters."""
    limit = max_bytes()
    if upload.size is not None and upload.size > limit:
        raise refuse(
            _("The file is larger than %(limit)s. Please split the book and import it in parts.")
            % {"limit": filesizeformat(limit)}
        )
    name = files.clean_file_name(upload.name or "")
    stem, extension = os.path.splitext(name)
    book_format = EXTENSIONS.get(extension.lower())
    if book_format is None:
        raise refuse(
            _(
                "Books can be imported from plain text (.txt), Markdown (.md) or EPUB (.epub) "
                "files. Please choose such a file."
            )
        )
    data = _read_upload(upload)
    if not data.strip():
        raise refuse(_("The file is empty."))
    if len(data) > limit:
        raise refuse(
            _("The file is larger than %(limit)s. Please split the book and import it in parts.")
            % {"limit": filesizeformat(limit)}
        )
    kind = files.kind_of(io.BytesIO(data))
    is_zip = data.startswith(b"PK\x03\x04")
    if book_format == BookFormat.EPUB:
        if not is_zip or kind is not None:
            raise _lying(name, kind)
        book = parse_epub(data, fallback_title=stem)
    else:
        if kind is not None or is_zip or data.startswith(b"\x1f\x8b"):
            raise _lying(name, kind)
        text = decode_text(data)
        if book_format == BookFormat.MARKDOWN:
            book = parse_markdown(text, fallback_title=stem)
        else:
            book = parse_text(text, fallback_title=stem)
    book.chapters = [c for c in book.chapters if c.blocks]
    if not book.chapters:
        raise refuse(_("The file contains no text to read."))
    if len(book.chapters) > MAX_CHAPTERS:
        raise refuse(
            _("The book has more than %(n)s chapters. Please split it and import it in parts.")
            % {"n": MAX_CHAPTERS}
        )
    if any(len(c.blocks) > MAX_BLOCKS for c in book.chapters):
        raise refuse(
            _("A chapter has more than %(n)s paragraphs. Please check the chapter headings.")
            % {"n": MAX_BLOCKS}
        )
    if not book.title:
        book.title = _short(stem)
    return book


def _lying(name: str, kind: files.FileKind | None) -> ValidationFailed:
    if kind is not None:
        return refuse(
            _(
                "The file is named “%(name)s”, but its content is a %(kind)s. Please check that "
                "you chose the right file."
            )
            % {"name": name, "kind": kind.label}
        )
    return refuse(
        _(
            "The content of this file does not match its name “%(name)s”: it may be another kind "
            "of file that was only renamed. Please check that you chose the right file."
        )
        % {"name": name}
    )
