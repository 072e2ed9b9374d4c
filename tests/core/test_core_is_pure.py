"""DESIGN.md: the SLA arithmetic is a pure-Python core with no Odoo import;
so is field_service_reports' own core."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORES = (
    ROOT / "field_service_sla" / "sla_core",
    ROOT / "field_service_reports" / "reports_core",
)


@pytest.mark.parametrize("core", CORES, ids=lambda p: p.name)
def test_core_never_imports_odoo(core):
    offenders = []
    for path in sorted(core.rglob("*.py")):
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
    assert list(core.rglob("*.py")), "the core package moved"
