from . import dep_translations
from . import helpdesk_ticket_portal
