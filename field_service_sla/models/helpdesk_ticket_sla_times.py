from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

# Once recorded, the SLA times change only through the "Correct SLA times"
# wizard (dispatchers and above, with a reason).
from .helpdesk_ticket import REACH_TIME_FIELDS, SLA_TIME_FIELDS


class HelpdeskTicket(models.Model):
    """Integrity of the recorded SLA times: who may change them, and that no
    milestone is reached before the fault was reported."""

    _inherit = "helpdesk.ticket"

    sla_breach_count = fields.Integer(
        string="SLA breaches",
        compute="_compute_sla_breach_count",
        help="Milestones breached and not waived.",
    )

    @api.depends("sla_clock_ids.breach_count")
    def _compute_sla_breach_count(self):
        for ticket in self:
            ticket.sla_breach_count = sum(ticket.sla_clock_ids.mapped("breach_count"))

    @api.constrains(*SLA_TIME_FIELDS)
    def _check_sla_times_after_report(self):
        engine = self.env["fs.sla.engine"]
        soon = fields.Datetime.now() + timedelta(minutes=5)
        for ticket in self:
            reported = ticket.reported_date
            if reported and reported > soon:
                raise ValidationError(
                    self.env._(
                        "Ticket %(ticket)s: the fault cannot be reported in the "
                        "future (%(reported)s).",
                        ticket=ticket.display_name,
                        reported=engine._fmt(reported),
                    )
                )
            for name in REACH_TIME_FIELDS:
                value = ticket[name]
                if not value:
                    continue  # a new ticket has reached nothing yet
                if value > soon:
                    raise ValidationError(
                        self.env._(
                            "Ticket %(ticket)s: %(time)s cannot be in the future "
                            "(%(value)s).",
                            ticket=ticket.display_name,
                            time=self._fields[name]._description_string(self.env),
                            value=engine._fmt(value),
                        )
                    )
                if reported and value < reported:
                    raise ValidationError(
                        self.env._(
                            "Ticket %(ticket)s: %(time)s %(value)s would be before "
                            "the fault was reported (%(reported)s): a milestone "
                            "cannot be reached before its clock started.",
                            ticket=ticket.display_name,
                            time=self._fields[name]._description_string(self.env),
                            value=engine._fmt(ticket[name]),
                            reported=engine._fmt(reported),
                        )
                    )

    def write(self, vals):
        # the context is the client's to set: the correction flag counts only
        # for a dispatcher, and no other flag lets a user change a time
        corrects = self.env.context.get(
            "fs_sla_correction"
        ) and self.env.user.has_group("field_service_sla.group_fs_dispatcher")
        if not self.env.su and not corrects:
            self._check_sla_times_unchanged(vals)
        return super().write(vals)

    def _check_sla_times_unchanged(self, vals):
        """Refuse a direct change of a recorded SLA time: recording a time not
        yet set is a technician's job, changing one is a correction."""
        names = [n for n in SLA_TIME_FIELDS if n in vals]
        if not names:
            return
        changed = []
        for name in names:
            new = fields.Datetime.to_datetime(vals[name]) or False
            if any(t[name] and t[name] != new for t in self):
                changed.append(self._fields[name]._description_string(self.env))
        if changed:
            raise UserError(
                self.env._(
                    "%(times)s already recorded: a recorded SLA time is changed "
                    "only with Correct SLA times (dispatchers), with a reason.",
                    times=", ".join(changed),
                )
            )

    def action_sla_correct_times(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Correct SLA times"),
            "res_model": "fs.sla.time.correction",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    def action_sla_waive_breach(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Waive an SLA breach"),
            "res_model": "fs.sla.breach.waiver",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }
