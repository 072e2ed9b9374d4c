from . import fs_sla_pause_wizard
from . import fs_sla_simulate
from . import fs_sla_time_correction
from . import fs_sla_breach_waiver
from . import fs_severity_wizard
from . import fs_alarm_link
from . import fs_diagnosis_wizard
from . import fs_sms_gateway_test
