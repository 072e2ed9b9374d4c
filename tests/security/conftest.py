"""The security tier reads the access files and rules: no Odoo, no database."""

import pytest


@pytest.fixture(scope="session", autouse=True)
def load_registry():
    """pytest-odoo, when installed, loads itself (unless plugin autoload is off,
    as in tests/run) and opens an Odoo database before every session through
    this autouse fixture: the security tier has none to open."""
    yield
