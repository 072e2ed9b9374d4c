"""The core tier imports the SLA core as a plain package: no Odoo, no database."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "field_service_sla"))
