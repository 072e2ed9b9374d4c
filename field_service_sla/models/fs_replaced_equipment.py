from odoo import api, fields, models


class FsReplacedEquipment(models.Model):
    """A device replaced on site, kept per service line so that equipment
    fault statistics (by type, model, supplier) can be drawn."""

    _name = "fs.replaced.equipment"
    _description = "Equipment replaced on site"
    _order = "replaced_date desc, id desc"

    order_id = fields.Many2one(
        "fsm.order", string="Field order", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="order_id.company_id", store=True)
    service_line_id = fields.Many2one(
        "fs.service.line",
        string="Service line",
        compute="_compute_service_line_id",
        store=True,
        readonly=False,
        index="btree_not_null",
    )
    replaced_date = fields.Date("Replaced on", default=fields.Date.context_today)
    device_type = fields.Char("Device type", required=True)
    device_model = fields.Char("Model", required=True)
    serial_number = fields.Char("Serial number", required=True)
    supplier = fields.Char(required=True)
    failure_cause = fields.Char("First cause of failure", required=True)

    @api.depends("order_id.ticket_id.service_line_id")
    def _compute_service_line_id(self):
        for equipment in self:
            equipment.service_line_id = (
                equipment.service_line_id
                or equipment.order_id.ticket_id.service_line_id
            )
