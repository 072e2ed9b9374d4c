from . import test_install
from . import test_portal_isolation
from . import test_portal_new_ticket
from . import test_i18n
from . import test_portal_tour
