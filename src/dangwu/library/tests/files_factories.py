"""Folders and files of the file library for the tests, made through the services."""

from django.core.files.uploadedfile import SimpleUploadedFile

from dangwu.access import SYSTEM
from dangwu.core.samples import pdf as demo_pdf
from dangwu.library import files_services as services
from dangwu.library.enums import FolderKind
from dangwu.library.files_demo import demo_docx, demo_xlsx
from dangwu.library.models import Folder

PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)

__all__ = ["PNG", "demo_docx", "demo_pdf", "demo_xlsx", "exchange", "file", "folder", "pdf_file"]


def file(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def pdf_file(name: str = "学习材料.pdf", *lines: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, demo_pdf(*(lines or ("党章学习材料",))))


def folder(world, kind: str = FolderKind.COMMITTEE, org: str = "org1", **extra) -> Folder:
    organization = None if kind == FolderKind.COMMITTEE else world.orgs[org]
    return services.folder_create(
        actor=SYSTEM, name=extra.pop("name", "资料"), kind=kind, organization=organization, **extra
    )


def exchange(world, org: str = "org1") -> Folder:
    return folder(world, FolderKind.EXCHANGE, org, name="交换")
