"""DESIGN.md: the SLA arithmetic is a pure-Python core with no Odoo import."""

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "field_service_sla" / "sla_core"


def test_sla_core_never_imports_odoo():
    offenders = []
    for path in sorted(CORE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            offenders += [
                f"{path.name}: {n}" for n in names if n.split(".")[0] == "odoo"
            ]
    assert offenders == []
    assert list(CORE.rglob("*.py")), "the core package moved"
