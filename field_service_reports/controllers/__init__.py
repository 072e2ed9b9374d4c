from . import portal_ticket
from . import portal_new_ticket
from . import portal_fsm_order
from . import portal_document
from . import portal_planned_work
from . import portal_assessment
from . import portal_operation_report
