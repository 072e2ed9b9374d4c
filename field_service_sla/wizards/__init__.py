from . import fs_sla_pause_wizard
from . import fs_sla_simulate
