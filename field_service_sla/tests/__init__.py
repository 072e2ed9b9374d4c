from . import test_sla_clocks
from . import test_sla_policy
from . import test_sla_validation
from . import test_sla_access
from . import test_sla_sweep
from . import test_service_line
from . import test_sla_tour
from . import test_i18n
