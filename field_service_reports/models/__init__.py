from . import helpdesk_ticket_month
