"""Synthetic people for the demo data set and the benchmarks: names, valid ID numbers and
member rows in the import template's column order. Nothing here is a real person."""

import csv
import io
import random
from datetime import date, timedelta

from dangwu.core.personal import id_check_char

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余"
    "杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙"
    "史黎贺顾毛郝龚邵万钱覃武戴孔汤庞"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国红梅文斌辉鹏飞宇晨浩然欣怡子"
    "涵思远志诚海燕春兰立新振华卫东晓光建平玉兰德明永红雪松"
)
AREA_CODES = [f"4301{d:02d}" for d in (2, 3, 4, 5, 11, 12, 21, 24, 81)] + ["430202", "430302"]
EDUCATIONS = ["研究生", "大学本科", "大学本科", "大学本科", "大专", "中专及高中"]
POSTS = ["", "", "", "", "", "组织委员", "宣传委员", "纪检委员"]
MINORITIES = ["回族", "土家族", "苗族", "侗族"]
# Dates stay in the past whatever day the generator runs.
LATEST_JOIN = date(2025, 6, 1)


def id_number(rng: random.Random, birth: date, male: bool, used: set[str]) -> str:
    """Return a valid, unused ID number; the 17th digit is odd for men (GB 11643)."""
    while True:
        serial = rng.randrange(0, 500) * 2 + (1 if male else 0)
        body = f"{rng.choice(AREA_CODES)}{birth:%Y%m%d}{serial:03d}"
        if body not in used:
            used.add(body)
            return body + id_check_char(body)


def member_row(
    rng: random.Random, org_code: str, used: set[str], *, transfers: bool = False
) -> list[str]:
    """Return one member in the member template's column order (see orgs.imports)."""
    birth = date(1950, 1, 1) + timedelta(days=rng.randint(0, 365 * 50))
    joined = birth + timedelta(days=365 * rng.randint(19, 35) + rng.randint(0, 300))
    joined = min(joined, LATEST_JOIN)
    probationary = joined > date(2024, 12, 1) or rng.random() < 0.03
    male = rng.random() < 0.58
    status = "正常"
    if transfers and rng.random() >= 0.97:
        status = rng.choice(["转出在途", "已转出"])
    return [
        rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2)))),
        "男" if male else "女",
        "汉族" if rng.random() < 0.92 else rng.choice(MINORITIES),
        birth.isoformat(),
        id_number(rng, birth, male, used),
        rng.choice(EDUCATIONS),
        "预备党员" if probationary else "正式党员",
        joined.isoformat(),
        "" if probationary else (joined + timedelta(days=366)).isoformat(),
        org_code,
        rng.choice(POSTS),
        f"1{rng.choice('3578')}{rng.randint(100000000, 999999999)}",
        status,
    ]


def csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    """Return a UTF-8 CSV file, as a person would save it from the import template."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")
