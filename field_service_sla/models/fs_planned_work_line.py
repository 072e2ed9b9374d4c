from odoo import api, fields, models
from odoo.exceptions import ValidationError


class FsPlannedWorkLine(models.Model):
    """A service line a planned work interrupts, with the interruption
    announced for it and the one its tickets show."""

    _name = "fs.planned.work.line"
    _description = "Line affected by a planned work"
    _order = "planned_work_id, partner_id, service_line_id"
    _rec_name = "service_line_id"
    _check_company_auto = True

    planned_work_id = fields.Many2one(
        "fs.planned.work", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="planned_work_id.company_id", store=True)
    service_line_id = fields.Many2one(
        "fs.service.line",
        string="Service line",
        required=True,
        index=True,
        check_company=True,
        ondelete="restrict",
    )
    partner_id = fields.Many2one(
        related="service_line_id.partner_id", store=True, string="Customer"
    )
    expected_minutes = fields.Integer(
        string="Announced interruption (min)",
        default=lambda s: s._default_expected_minutes(),
    )
    actual_minutes = fields.Integer(
        string="Interruption (min)",
        compute="_compute_actual",
        help="From the first ticket raised on the line in the window to its "
        "restore (or to now while it is down).",
    )
    ticket_count = fields.Integer(compute="_compute_actual", string="Tickets")
    still_down = fields.Boolean(string="Still down", compute="_compute_actual")

    _line_uniq = models.Constraint(
        "UNIQUE(planned_work_id, service_line_id)",
        "A line is affected once by a planned work.",
    )

    @api.model
    def _default_expected_minutes(self):
        work_id = self.env.context.get("default_planned_work_id")
        if work_id:
            return self.env["fs.planned.work"].browse(work_id).expected_minutes
        return 30

    @api.constrains("expected_minutes")
    def _check_expected(self):
        if self.filtered(lambda line: line.expected_minutes < 0):
            raise ValidationError(
                self.env._("An announced interruption cannot be negative.")
            )

    @api.depends(
        "planned_work_id.ticket_ids.restored_date",
        "planned_work_id.ticket_ids.service_line_id",
    )
    def _compute_actual(self):
        now = fields.Datetime.now()
        tickets = self.planned_work_id.ticket_ids
        for line in self:
            mine = tickets.filtered(
                lambda t, line=line: (
                    t.planned_work_id == line.planned_work_id
                    and t.service_line_id == line.service_line_id
                )
            )
            line.ticket_count = len(mine)
            if not mine:
                line.actual_minutes = 0
                line.still_down = False
                continue
            start = min(mine.mapped("reported_date"))
            down = mine.filtered(lambda t: not t.restored_date)
            end = now if down else max(mine.mapped("restored_date"))
            line.still_down = bool(down)
            line.actual_minutes = max(int((end - start).total_seconds() // 60), 0)
