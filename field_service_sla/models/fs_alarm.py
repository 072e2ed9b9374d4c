from odoo import fields, models
from odoo.exceptions import AccessError, UserError

from ..sla_core.alarms import PERCEIVED

ALARM_STATES = [("active", "Raised"), ("cleared", "Cleared")]
MATCH_STATES = [
    ("matched", "Matched"),
    ("unmatched", "Unmatched"),
    ("manual", "Ticket opened by hand"),
]
PERCEIVED_SEVERITIES = [
    ("critical", "Critical"),
    ("major", "Major"),
    ("minor", "Minor"),
    ("warning", "Warning"),
    ("indeterminate", "Indeterminate"),
]
assert tuple(code for code, _label in PERCEIVED_SEVERITIES) == PERCEIVED


class FsAlarm(models.Model):
    """An alarm of a monitoring system, one row per (source, alarm id) however
    often it is delivered. Written by the intake (fs.alarm.intake) only: the
    monitoring desk reads it, links an unmatched one to a line or opens a
    ticket from it."""

    _name = "fs.alarm"
    _description = "Monitoring alarm"
    _order = "raised_at desc, id desc"
    _check_company_auto = True
    _rec_name = "alarm_ref"

    source_id = fields.Many2one(
        "fs.alarm.source", required=True, readonly=True, ondelete="restrict"
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True
    )
    alarm_ref = fields.Char(string="Alarm ID", required=True, readonly=True)
    clear_key = fields.Char(
        readonly=True, help="The key the source's clear of this alarm names."
    )
    circuit_ref = fields.Char(string="Circuit", readonly=True)
    element = fields.Char(string="Network element", readonly=True)
    port = fields.Char(readonly=True)
    correlation_element = fields.Char(
        string="Upstream element",
        readonly=True,
        help="The element the alarm's lines depend on: alarms behind one element "
        "correlate into one incident.",
    )
    alarm_type = fields.Char(string="Type", readonly=True)
    perceived_severity = fields.Selection(
        PERCEIVED_SEVERITIES, string="Perceived severity", readonly=True
    )
    text = fields.Text(readonly=True)
    payload = fields.Json(readonly=True, help="The last delivery, as sent.")
    raised_at = fields.Datetime(string="Raised at", required=True, readonly=True)
    last_seen = fields.Datetime(string="Last seen", required=True, readonly=True)
    cleared_at = fields.Datetime(string="Cleared at", readonly=True)
    count = fields.Integer(
        readonly=True, default=1, help="Sightings: redeliveries do not count."
    )
    flap_count = fields.Integer(
        string="Flaps",
        readonly=True,
        help="Times a line of this alarm raised again within the flapping window "
        "after its alarms cleared.",
    )
    state = fields.Selection(ALARM_STATES, required=True, readonly=True, index=True)
    match_state = fields.Selection(
        MATCH_STATES, string="Match", required=True, readonly=True, index=True
    )
    service_line_ids = fields.Many2many(
        "fs.service.line",
        "fs_alarm_service_line_rel",
        "alarm_id",
        "line_id",
        string="Service lines",
        readonly=True,
    )
    ticket_ids = fields.Many2many(
        "helpdesk.ticket",
        "fs_alarm_ticket_rel",
        "alarm_id",
        "ticket_id",
        string="Tickets",
        readonly=True,
    )
    ticket_count = fields.Integer(compute="_compute_ticket_count", string="Tickets ")

    _source_ref_uniq = models.Constraint(
        "unique(source_id, alarm_ref)",
        "An alarm is delivered once per source: its ID is unique per source.",
    )
    # the intake looks up the open alarms a keyed clear closes
    _clear_key_idx = models.Index("(source_id, clear_key) WHERE clear_key IS NOT NULL")

    def _compute_ticket_count(self):
        for alarm in self:
            alarm.ticket_count = len(alarm.ticket_ids)

    def _check_dispatcher(self):
        """Alarms are the intake's: a dispatcher acts on them through these
        actions (positive membership), which then write as the intake."""
        if not self.env.user.has_group("field_service_sla.group_fs_dispatcher"):
            raise AccessError(
                self.env._("Only a dispatcher links alarms or opens tickets from them.")
            )
        self.check_access("read")

    def action_open_ticket(self):
        """Open a ticket for an unmatched alarm: reported at its raise, on the
        monitoring channel, for the desk to complete with the customer."""
        self._check_dispatcher()
        unmatched = self.filtered(lambda a: a.match_state == "unmatched")
        if not unmatched:
            raise UserError(
                self.env._("Only an unmatched alarm opens a ticket by hand.")
            )
        tickets = self.env["fs.alarm.intake"]._open_tickets_for(unmatched)
        return tickets._get_records_action(name=self.env._("Tickets"))

    def action_link_line(self):
        self._check_dispatcher()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Link to a service line"),
            "res_model": "fs.alarm.link",
            "view_mode": "form",
            "target": "new",
            "context": {"default_alarm_ids": self.ids},
        }

    def action_view_tickets(self):
        self.ensure_one()
        return self.ticket_ids._get_records_action(name=self.env._("Tickets"))
