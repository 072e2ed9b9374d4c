from odoo import api, fields, models

from .helpdesk_ticket_severity import SEVERITIES


class FsIncident(models.Model):
    """One fault seen through several customers' reports or several lines'
    alarms: the parent the complaint aggregation links them to (same service
    type, same city), or the alarm correlation (lines behind one upstream
    network element)."""

    _name = "fs.incident"
    _description = "Fault incident"
    _inherit = ["mail.thread"]
    _order = "start_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True, copy=False, default="/")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda s: s.env.company
    )
    service_type_id = fields.Many2one(
        "fs.service.type", string="Service type", readonly=True
    )
    city = fields.Char(readonly=True)
    network_element = fields.Char(
        string="Network element",
        readonly=True,
        index="btree_not_null",
        help="The upstream element the correlated alarms' lines depend on.",
    )
    severity = fields.Selection(
        SEVERITIES, required=True, default="severe", readonly=True, tracking=True
    )
    start_date = fields.Datetime(
        string="First report", readonly=True, help="When the first report came in."
    )
    severe_date = fields.Datetime(
        string="Severe from",
        readonly=True,
        help="When the report that reached the count came in.",
    )
    severe_from_ticket_id = fields.Many2one(
        "helpdesk.ticket",
        string="Severe from report",
        readonly=True,
        help="The report that reached the count.",
    )
    ticket_ids = fields.One2many("helpdesk.ticket", "incident_id", string="Reports")
    ticket_count = fields.Integer(
        string="Number of reports", compute="_compute_ticket_count"
    )
    description = fields.Text()

    def _compute_ticket_count(self):
        counts = dict(
            self.env["helpdesk.ticket"]._read_group(
                [("incident_id", "in", self.ids)], ["incident_id"], ["__count"]
            )
        )
        for incident in self:
            incident.ticket_count = counts.get(incident, 0)

    @api.model_create_multi
    def create(self, vals_list):
        sequence = self.env["ir.sequence"].sudo()
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = sequence.with_company(
                    vals.get("company_id") or self.env.company.id
                ).next_by_code("fs.incident")
        return super().create(vals_list)

    def action_fs_preliminary_diagnosis(self):
        """One cause for every open report of the incident."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Preliminary diagnosis"),
            "res_model": "fs.diagnosis.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_incident_id": self.id,
                "default_ticket_ids": self.ticket_ids.filtered(
                    lambda t: not t.closed
                ).ids,
            },
        }

    def action_view_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_mgmt.helpdesk_ticket_action"
        )
        action["domain"] = [("incident_id", "=", self.id)]
        action["context"] = {}
        return action
