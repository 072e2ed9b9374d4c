from odoo import fields, models
from odoo.tools import SQL

from ..sla_core.sms_reach import DELIVERED, FAILED, WAITING


class FsEscalationFired(models.Model):
    """What a fired step's bulletins became: how many of its numbers they
    reached, failed to reach, or are still on their way to, and the
    bulletins themselves (fs.escalation.sms)."""

    _inherit = "fs.escalation.fired"

    sms_ids = fields.Many2many(
        "fs.escalation.sms",
        "fs_escalation_sms_fired_rel",
        "fired_id",
        "sms_id",
        string="Bulletins",
        readonly=True,
    )
    sms_delivered_count = fields.Integer(
        string="Delivered", compute="_compute_sms_reach"
    )
    sms_failed_count = fields.Integer(string="Failed", compute="_compute_sms_reach")
    sms_waiting_count = fields.Integer(
        string="Waiting",
        compute="_compute_sms_reach",
        help="Queued, or sent and not reported delivered yet.",
    )
    sms_reach = fields.Char(string="SMS reached", compute="_compute_sms_reach")

    def _compute_sms_reach(self):
        """One query for all the rows shown: the counts of their bulletins'
        states (counts only: no bulletin is read on the user's behalf)."""
        counts = {}
        ids = [fired_id for fired_id in self.ids if fired_id]
        if ids:
            self.env["fs.escalation.sms"].flush_model(["state"])
            counts = {
                row[0]: row[1:]
                for row in self.env.execute_query(
                    SQL(
                        """
                        SELECT r.fired_id,
                               count(*) FILTER (WHERE s.state = %s),
                               count(*) FILTER (WHERE s.state = %s),
                               count(*) FILTER (WHERE s.state = ANY(%s)),
                               count(*)
                          FROM fs_escalation_sms_fired_rel r
                          JOIN fs_escalation_sms s ON s.id = r.sms_id
                         WHERE r.fired_id = ANY(%s)
                      GROUP BY r.fired_id
                        """,
                        DELIVERED,
                        FAILED,
                        list(WAITING),
                        ids,
                    )
                )
            }
        for fired in self:
            delivered, failed, waiting, total = counts.get(fired.id, (0, 0, 0, 0))
            fired.sms_delivered_count = delivered
            fired.sms_failed_count = failed
            fired.sms_waiting_count = waiting
            fired.sms_reach = (
                self.env._(
                    "Reached %(delivered)s of %(total)s numbers",
                    delivered=delivered,
                    total=total,
                )
                if total
                else False
            )

    def action_open_sms(self):
        """The bulletins of these steps, as sent, with their results."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("SMS bulletins"),
            "res_model": "fs.escalation.sms",
            "view_mode": "list,kanban,form",
            "views": [
                (
                    self.env.ref("field_service_sla.fs_escalation_sms_view_list").id,
                    "list",
                ),
                (False, "kanban"),
                (False, "form"),
            ],
            "domain": [("fired_ids", "in", self.ids)],
            "context": {"create": False},
        }
