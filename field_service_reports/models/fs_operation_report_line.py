from odoo import api, fields, models


class FsOperationReportLine(models.Model):
    """One service line's figures in an operation report, as the report
    prints them and the operation figures pivot groups them: the monthly
    figures' functions' values (fs.monthly.report.data._line_figures),
    written by the report's buttons only."""

    _name = "fs.operation.report.line"
    _description = "Operation report: a service line's figures"
    _order = "report_id, circuit_ref, id"

    report_id = fields.Many2one(
        "fs.operation.report", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="report_id.company_id", store=True)
    partner_id = fields.Many2one(
        related="report_id.partner_id", store=True, string="Customer"
    )
    date_from = fields.Date(related="report_id.date_from", store=True, string="From")
    period_kind = fields.Selection(
        related="report_id.period_kind", store=True, string="Report period"
    )
    state = fields.Selection(related="report_id.state", store=True)
    service_line_id = fields.Many2one(
        "fs.service.line", string="Service line", readonly=True, index=True
    )
    circuit_ref = fields.Char(string="Circuit ID", readonly=True)
    service_type_id = fields.Many2one(
        "fs.service.type", string="Service type", readonly=True
    )
    assurance_level_id = fields.Many2one(
        "fs.assurance.level", string="Assurance level", readonly=True
    )
    availability = fields.Float(readonly=True, digits=(16, 5), aggregator="avg")
    period_hours = fields.Float(string="Period (h)", readonly=True)
    outage_hours = fields.Float(string="Out of service (h)", readonly=True)
    planned_hours = fields.Float(string="Planned work (h)", readonly=True)
    fault_count = fields.Integer(string="Faults", readonly=True)
    repeat_count = fields.Integer(string="Repeated faults", readonly=True)
    restored_count = fields.Integer(string="Faults restored", readonly=True)
    restore_hours = fields.Float(string="Restore time (h)", readonly=True)
    mean_restore_hours = fields.Float(
        string="Mean restore time (h)", readonly=True, aggregator="avg"
    )
    worst_restore_hours = fields.Float(
        string="Longest restore time (h)", readonly=True, aggregator="max"
    )
    target_hours = fields.Float(
        string="Restore target (h)", readonly=True, aggregator="max"
    )
    on_time_count = fields.Integer(string="Milestones on time", readonly=True)
    missed_count = fields.Integer(string="Milestones missed", readonly=True)

    @api.model
    def _fs_values(self, figures):
        """The row of a ``LineFigures``."""
        line = self.env["fs.service.line"].sudo().browse(figures.line_id)
        availability = figures.availability
        return {
            "service_line_id": line.id,
            "circuit_ref": line.circuit_ref,
            "service_type_id": line.service_type_id.id,
            "assurance_level_id": line.assurance_level_id.id,
            "availability": availability.availability if availability else 0.0,
            "period_hours": availability.period_hours if availability else 0.0,
            "outage_hours": availability.outage_hours if availability else 0.0,
            "planned_hours": availability.planned_hours if availability else 0.0,
            "fault_count": figures.faults,
            "repeat_count": figures.repeats,
            "restored_count": figures.restored,
            "restore_hours": figures.restore_hours,
            "mean_restore_hours": figures.mean_restore_hours or 0.0,
            "worst_restore_hours": figures.worst_hours or 0.0,
            "target_hours": figures.target_hours or 0.0,
            "on_time_count": figures.on_time,
            "missed_count": figures.missed,
        }
