"""Odoo reads a term of Python code (``_()``) from a po file only when its
entry is marked ``#. odoo-python``, and a term of the web client only when
marked ``#. odoo-javascript``: an entry that has the code occurrence but not
the mark is never used, and the screen stays English (the portal's Sign
button was). Checks every po file the addons ship, without Odoo."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PO_FILES = sorted(
    p
    for addon in ("field_service_sla", "field_service_reports")
    for p in (ROOT / addon).rglob("*.po*")
    if p.suffix in (".po", ".pot")
)


def unmarked_code_terms(path):
    """The msgid lines of the entries of ``path`` with a code occurrence
    but without the mark Odoo reads them by."""
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = block.splitlines()
        code = [line for line in lines if line.startswith("#: code:")]
        python = any(line.endswith(".py:0") for line in code)
        web = any("/static/" in line for line in code)
        if (
            python
            and "#. odoo-python" not in lines
            or (web and "#. odoo-javascript" not in lines)
        ):
            yield next((line for line in lines if line.startswith("msgid")), block)


@pytest.mark.parametrize("path", PO_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_code_terms_are_marked_for_odoo(path):
    assert list(unmarked_code_terms(path)) == []
