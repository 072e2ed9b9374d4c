from odoo import fields, models
from odoo.exceptions import UserError


class FsSlaPauseWizard(models.TransientModel):
    _name = "fs.sla.pause.wizard"
    _description = "Pause SLA clocks"

    reason_id = fields.Many2one(
        "fs.sla.pause.reason",
        required=True,
        domain=[("manual", "=", True), ("stops_all_clocks", "=", False)],
    )
    note = fields.Char(help="Who or what the ticket waits for.")

    def action_pause(self):
        self.ensure_one()
        tickets = self.env["helpdesk.ticket"].browse(self.env.context.get("active_ids"))
        if not tickets:
            raise UserError(self.env._("Select the tickets to pause."))
        closed = tickets.filtered("closed")
        if closed:
            raise UserError(
                self.env._(
                    "Closed tickets have no running clock to pause: %s",
                    ", ".join(closed.mapped("display_name")),
                )
            )
        reason = self.reason_id
        if not reason.manual or reason.stops_all_clocks:
            raise UserError(
                self.env._(
                    "%s is not a reason to pause by hand: choose one of the "
                    "reasons offered.",
                    reason.display_name,
                )
            )
        paused = tickets.filtered("sla_paused")
        if paused:
            raise UserError(
                self.env._(
                    "Already paused (by hand or by its stage): %s. Resume it, or "
                    "move it out of its pausing stage, before pausing again.",
                    ", ".join(paused.mapped("display_name")),
                )
            )
        self.env["fs.sla.engine"]._pause(tickets, reason, self.note)
        return {"type": "ir.actions.act_window_close"}
