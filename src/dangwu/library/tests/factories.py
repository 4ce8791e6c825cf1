"""Books and book files for the reading room's tests, built through the real importer."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from dangwu.access import SYSTEM
from dangwu.library import services
from dangwu.library.models import Book, Chapter

LONG_PARAGRAPH = "子曰：“学而时习之，不亦说乎？有朋自远方来，不亦乐乎？人不知而不愠，不亦君子乎？”"


def text_source(chapters: int = 2, paragraphs: int = 5) -> str:
    lines = []
    for c in range(1, chapters + 1):
        lines.append(f"第{'一二三四五六七八九十'[c - 1]}章 测试")
        lines += [f"第{c}章第{p + 1}段。{LONG_PARAGRAPH}" for p in range(paragraphs)]
    return "\n".join(lines) + "\n"


def upload(name: str, data: bytes | str) -> SimpleUploadedFile:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return SimpleUploadedFile(name, data, "application/octet-stream")


def book_with(
    *, chapters: int = 2, paragraphs: int = 5, title: str = "测试之书", actor=SYSTEM
) -> Book:
    return services.book_import(
        actor=actor,
        upload=upload("测试.txt", text_source(chapters, paragraphs)),
        category="traditional",
        title=title,
    )


def chapter_of(book: Book, number: int = 1) -> Chapter:
    return Chapter.objects.select_related("book").get(book=book, number=number)


CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="{opf}" media-type="application/oebps-package+xml"/></rootfiles>
</container>"""

OPF = """<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:title>{title}</dc:title><dc:creator>{author}</dc:creator>
  </metadata>
  <manifest>{items}</manifest>
  <spine>{refs}</spine>
</package>"""

XHTML = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>{title}</title></head>
<body><h1>{title}</h1>{body}</body></html>"""


def epub_bytes(
    chapters: list[tuple[str, str]] | None = None,
    *,
    title: str = "电子书",
    author: str = "佚名",
    hrefs: list[str] | None = None,
    extra: dict[str, bytes] | None = None,
    opf_path: str = "OEBPS/content.opf",
) -> bytes:
    """Return an EPUB whose spine lists ``chapters`` (title, XHTML body) in order."""
    chapters = chapters if chapters is not None else [("第一章", "<p>甲。</p><p>乙。</p>")]
    hrefs = hrefs or [f"text/ch{i}.xhtml" for i in range(1, len(chapters) + 1)]
    items = "".join(
        f'<item id="c{i}" href="{href}" media-type="application/xhtml+xml"/>'
        for i, href in enumerate(hrefs, 1)
    )
    refs = "".join(f'<itemref idref="c{i}"/>' for i in range(1, len(hrefs) + 1))
    buffer = io.BytesIO()
    base = opf_path.rsplit("/", 1)[0] + "/" if "/" in opf_path else ""
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/container.xml", CONTAINER.format(opf=opf_path))
        archive.writestr(opf_path, OPF.format(title=title, author=author, items=items, refs=refs))
        for (chapter_title, body), href in zip(chapters, hrefs, strict=False):
            if ".." not in href:
                archive.writestr(
                    base + href,
                    XHTML.format(title=chapter_title, body=body),
                    compress_type=zipfile.ZIP_DEFLATED,
                )
        for name, data in (extra or {}).items():
            archive.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def zip_bomb_epub(size: int = 80 * 1024 * 1024) -> bytes:
    """Return a small EPUB with one part of ``size`` zeros packed to a few hundred KB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        zf.writestr("META-INF/container.xml", CONTAINER.format(opf="content.opf"))
        zf.writestr("content.opf", OPF.format(title="炸弹", author="", items="", refs=""))
        with zf.open("text/bomb.xhtml", "w", force_zip64=False) as member:
            chunk = bytes(1024 * 1024)
            for _ in range(size // len(chunk)):
                member.write(chunk)
    return buffer.getvalue()
