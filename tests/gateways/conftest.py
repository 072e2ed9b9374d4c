"""The gateway tier: the SMS transports against real processes on local ports (an SMSC simulator, an HTTP server), no Odoo."""
import sys
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "field_service_sla"))
