"""Chinese running text takes full-width punctuation: a half-width , : ; or
parenthesis touching a Chinese character reads machine-made to the operators.
Checks every zh_CN po file the addons ship (their own and the OCA modules'),
without Odoo: a small reader of the po format is enough here."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PO_FILES = sorted(
    p
    for addon in ("field_service_sla", "field_service_reports")
    for p in (ROOT / addon).rglob("*.po")
    if p.name.endswith("zh_CN.po")
)

CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
HALF_WIDTH_NEXT_TO_CJK = re.compile(
    rf"[{CJK}]\s*[,:;()]|[,:;()]\s*[{CJK}]"
)


def read_po(path):
    """Yield (msgid, msgstr) of each entry of the po file at path."""
    entry, key = {}, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = line.strip()
        if line.startswith(("msgid ", "msgstr ")):
            key, _sep, rest = line.partition(" ")
            if key == "msgid" and "msgstr" in entry:
                yield entry["msgid"], entry["msgstr"]
                entry = {}
            entry[key] = ast.literal_eval(rest)
        elif line.startswith('"') and key:
            entry[key] += ast.literal_eval(line)
        elif not line or line.startswith("#"):
            key = None
    if "msgstr" in entry:
        yield entry["msgid"], entry["msgstr"]


def test_there_are_zh_cn_files_to_check():
    assert any(p.parent.name == "i18n" for p in PO_FILES), PO_FILES


@pytest.mark.parametrize(
    "path", PO_FILES, ids=lambda p: str(p.relative_to(ROOT))
)
def test_no_half_width_punctuation_next_to_chinese(path):
    bad = [
        (msgid, msgstr)
        for msgid, msgstr in read_po(path)
        if msgid and HALF_WIDTH_NEXT_TO_CJK.search(msgstr)
    ]
    assert not bad, "\n".join(f"{i!r} => {s!r}" for i, s in bad[:30])


def test_the_check_catches_half_width_punctuation():
    for text in ("集团客户,AAA", "说明:无", "等待;继续", "余量(小时)", "留空 (7×24)"):
        assert HALF_WIDTH_NEXT_TO_CJK.search(text), text
    for text in ("集团客户，AAA 级", "%(name)s：无", "例如：100M, 1G", "(%s)"):
        assert not HALF_WIDTH_NEXT_TO_CJK.search(text), text
