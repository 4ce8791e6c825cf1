"""Spreadsheet files for the import tests, built the way people make them (Excel or CSV)."""

import csv
import io
from datetime import date
from typing import Any

from openpyxl import Workbook

from dangwu.orgs.imports import MEMBER_COLUMNS, ORG_COLUMNS
from tests.personas import make_id_number


def csv_bytes(header: list[str], rows: list[list[Any]], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(header: list[str], rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def org_row(code: str, name: str, kind: str = "党支部", parent: str = "A01", **extra: str) -> dict:
    row = dict.fromkeys(ORG_COLUMNS, "")
    row.update({"组织编码": code, "组织名称": name, "组织类别": kind, "上级组织编码": parent})
    row.update(extra)
    return row


def member_row(name: str, serial: int, org: str = "A0101", **extra: Any) -> dict:
    birth = extra.pop("birth", date(1980, 1 + serial % 12, 1 + serial % 28))
    row = {
        "姓名": name,
        "性别": "男",
        "民族": "汉族",
        "出生日期": birth.isoformat(),
        "身份证号码": make_id_number(birth, 500 + serial),
        "学历": "大学本科",
        "人员类别": "正式党员",
        "入党日期": "2005-07-01",
        "转正日期": "2006-07-01",
        "所在组织编码": org,
        "党内职务": "",
        "联系电话": f"1380731{serial % 10000:04d}",
        "状态": "正常",
    }
    row.update(extra)
    return row


def table(rows: list[dict], columns: dict | list | None = None) -> tuple[list[str], list[list]]:
    header = list(columns if columns is not None else rows[0])
    return header, [[r.get(h, "") for h in header] for r in rows]


def orgs_csv(*rows: dict, encoding: str = "utf-8") -> bytes:
    return csv_bytes(*table(list(rows), ORG_COLUMNS), encoding=encoding)


def members_csv(*rows: dict, encoding: str = "utf-8") -> bytes:
    return csv_bytes(*table(list(rows), MEMBER_COLUMNS), encoding=encoding)


def members_xlsx(*rows: dict) -> bytes:
    return xlsx_bytes(*table(list(rows), MEMBER_COLUMNS))
