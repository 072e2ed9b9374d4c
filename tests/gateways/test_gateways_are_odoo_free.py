"""The transports are Odoo-free (the shell is models/fs_sms_gateway*.py):
they import no odoo, and from the addon only the core, so they run in this
tier without a database."""

import ast
from pathlib import Path

GATEWAYS = Path(__file__).resolve().parents[2] / "field_service_sla" / "gateways"


def imports(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            yield "." * node.level + (node.module or "")


def test_gateways_import_no_odoo_and_only_the_core_of_the_addon():
    offenders = [
        f"{path.name}: {name}"
        for path in sorted(GATEWAYS.glob("*.py"))
        for name in imports(path)
        if name.split(".")[0] == "odoo"
        or (name.startswith("..") and not name.startswith("..sla_core"))
    ]
    assert offenders == []
    assert (GATEWAYS / "smpp.py").exists(), "the transports moved"
