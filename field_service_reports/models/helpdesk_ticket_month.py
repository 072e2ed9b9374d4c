from odoo import models


class HelpdeskTicket(models.Model):
    """The monthly report reads a company's tickets by the month they were
    reported in, some ten times per workbook (figures, repeats, lines,
    twelve months of trend, details): an index on exactly that keeps it from
    scanning every ticket of every year."""

    _inherit = "helpdesk.ticket"

    _company_reported_idx = models.Index("(company_id, reported_date)")
