from odoo import fields, models


class HelpdeskTicket(models.Model):
    """A complaint (投诉) about the work of a field order: the contractor
    assessment counts it against the order's crew (non-standard work)."""

    _inherit = "helpdesk.ticket"

    fs_complaint_order_id = fields.Many2one(
        "fsm.order",
        string="Complaint about order",
        index="btree_not_null",
        tracking=True,
        help="The field order whose work this ticket complains of: the "
        "contractor assessment counts it against the order's crew.",
    )


class FsInspectionTemplate(models.Model):
    """A spot check (日常工作抽查) of a crew's site records is an inspection
    of a field order with a template marked so: each failed check counts
    against the order's crew in the contractor assessment."""

    _inherit = "fs.inspection.template"

    fs_spot_check = fields.Boolean(
        "Spot check of a crew's work",
        help="Inspections of this template check a field order's site "
        "records: each failed check counts against the order's crew in the "
        "contractor assessment.",
    )
