from odoo import api, fields, models


class FsInspectionFinding(models.Model):
    """A failed check or an out-of-range reading, recorded when the
    inspection is confirmed: fixed on site, or followed up by a ticket."""

    _name = "fs.inspection.finding"
    _description = "Inspection finding"
    _order = "id desc"

    inspection_id = fields.Many2one(
        "fs.inspection", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="inspection_id.company_id", store=True, index=True
    )
    kind = fields.Selection(
        [("item", "Failed check"), ("reading", "Reading out of range")],
        required=True,
    )
    item_id = fields.Many2one("fs.inspection.item", ondelete="cascade", index=True)
    reading_id = fields.Many2one(
        "fs.inspection.reading", ondelete="cascade", index=True
    )
    name = fields.Char(required=True)
    detail = fields.Char(string="Details")
    fixed_on_site = fields.Boolean(string="Fixed on site", readonly=True)
    fix_note = fields.Char(string="Fix on site", readonly=True)
    ticket_id = fields.Many2one(
        "helpdesk.ticket", string="Follow-up ticket", readonly=True, index=True
    )
    location_id = fields.Many2one(related="inspection_id.location_id", store=True)
    service_line_id = fields.Many2one(
        related="inspection_id.service_line_id", store=True
    )
    partner_id = fields.Many2one(related="inspection_id.partner_id", store=True)
    customer_tier_id = fields.Many2one(
        related="inspection_id.customer_tier_id", store=True
    )
    segment = fields.Selection(related="inspection_id.segment", store=True)
    template_id = fields.Many2one(related="inspection_id.template_id", store=True)
    date = fields.Date(related="inspection_id.planned_date", store=True)

    _item_uniq = models.Constraint(
        "UNIQUE(item_id)", "A checklist item has one finding at most."
    )
    _reading_uniq = models.Constraint(
        "UNIQUE(reading_id)", "A reading has one finding at most."
    )

    @api.model
    def _maintenance_category(self):
        """The category of the follow-up tickets: maintenance work, never a
        customer fault (helpdesk_ticket_fault); the shipped one, or any other
        category marked as maintenance when an administrator removed it."""
        category = self.env.ref(
            "field_service_sla.ticket_category_maintenance", raise_if_not_found=False
        )
        if not category:
            category = (
                self.env["helpdesk.ticket.category"]
                .sudo()
                .search([("fs_maintenance", "=", True)], limit=1)
            )
        return category.sudo()
