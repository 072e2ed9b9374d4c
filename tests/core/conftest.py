"""The core tier imports the SLA core as a plain package: no Odoo, no database."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# each addon's core as a plain package: sla_core, reports_core
sys.path.insert(0, str(ROOT / "field_service_sla"))
sys.path.insert(0, str(ROOT / "field_service_reports"))


@pytest.fixture(scope="session", autouse=True)
def load_registry():
    """pytest-odoo, when installed, loads itself (unless plugin autoload is off,
    as in tests/run) and opens an Odoo database before every session through
    this autouse fixture: the core tier has none to open."""
    yield
