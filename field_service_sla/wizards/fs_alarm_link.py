from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..models.fs_alarm_tickets import Hit


class FsAlarmLink(models.TransientModel):
    """Links unmatched alarms to the service line they are about: each joins
    the line's open fault ticket or opens one, as a matched alarm would. An
    SLA administrator may also remember the element and port for the next
    alarms."""

    _name = "fs.alarm.link"
    _description = "Link alarms to a service line"

    alarm_ids = fields.Many2many("fs.alarm", string="Alarms", required=True)
    service_line_id = fields.Many2one(
        "fs.service.line", string="Service line", required=True
    )
    remember = fields.Boolean(
        string="Remember for the next alarms",
        help="Map the alarms' network element and port to this line, so that "
        "the next alarms on them match by themselves.",
    )
    can_remember = fields.Boolean(compute="_compute_can_remember")

    @api.depends_context("uid")
    def _compute_can_remember(self):
        self.can_remember = self.env["fs.network.mapping"].has_access("create")

    def action_link(self):
        self.ensure_one()
        alarms = self.alarm_ids
        alarms._check_dispatcher()
        self.service_line_id.check_access("read")
        if alarms.filtered(lambda a: a.match_state != "unmatched"):
            raise UserError(
                self.env._("Only unmatched alarms are linked to a line here.")
            )
        line = self.service_line_id
        if alarms.filtered(lambda a: a.company_id != line.company_id):
            raise UserError(
                self.env._("The alarms and the line belong to different companies.")
            )
        if self.remember:
            self._remember(alarms, line)
        alarms = alarms.sudo()
        alarms.write(
            {"match_state": "matched", "service_line_ids": [Command.link(line.id)]}
        )
        intake = self.env["fs.alarm.intake"].sudo()
        tickets = intake._tickets_for_hits(
            line.company_id,
            [
                Hit(
                    a.id,
                    line.id,
                    a.raised_at,
                    a.correlation_element or a.element,
                    " ".join(filter(None, (a.alarm_type, a.element, a.port)))
                    or a.alarm_ref,
                )
                for a in alarms
            ],
        )
        intake._refresh_summary(tickets)
        return (
            self.env["helpdesk.ticket"]
            .browse(tickets)
            ._get_records_action(name=self.env._("Tickets"))
        )

    def _remember(self, alarms, line):
        objects = {(a.element, a.port) for a in alarms if a.element}
        if not objects:
            raise UserError(
                self.env._("These alarms name no network element to remember.")
            )
        Element = self.env["fs.network.element"]
        Mapping = self.env["fs.network.mapping"]
        for element_name, port in sorted(objects, key=str):
            element = Element.search(
                [("name", "=", element_name), ("company_id", "=", line.company_id.id)],
                limit=1,
            ) or Element.create(
                {"name": element_name, "company_id": line.company_id.id}
            )
            Mapping.create(
                {
                    "element_id": element.id,
                    "port": port,
                    "service_line_id": line.id,
                    "company_id": line.company_id.id,
                }
            )
