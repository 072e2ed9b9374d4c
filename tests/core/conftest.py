"""The core tier imports the SLA core as a plain package: no Odoo, no database."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "field_service_sla"))


@pytest.fixture(scope="session", autouse=True)
def load_registry():
    """pytest-odoo, when installed, loads itself (unless plugin autoload is off,
    as in tests/run) and opens an Odoo database before every session through
    this autouse fixture: the core tier has none to open."""
    yield
