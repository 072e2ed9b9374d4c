from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

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
        # no context key lets a user change a recorded time: corrections go
        # through _sla_correct_times, which checks the role and the reason
        if not self.env.su:
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

    def _sla_correct_times(self, changes, reason):
        """Correct recorded SLA times (``changes``: {field: new value}) for
        ``reason``, logged in the chatter with the old and new values: the
        one way a recorded time changes. Dispatchers and above, on a ticket
        they may write."""
        self.ensure_one()
        if not self.env.user.has_group("field_service_sla.group_fs_dispatcher"):
            raise AccessError(
                self.env._(
                    "Only a dispatcher or an SLA administrator corrects SLA times."
                )
            )
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason for the correction."))
        unknown = set(changes) - set(SLA_TIME_FIELDS)
        if unknown:
            raise UserError(
                self.env._(
                    "Only SLA times are corrected here, not %s.",
                    ", ".join(sorted(unknown)),
                )
            )
        changes = {
            name: fields.Datetime.to_datetime(value) or False
            for name, value in changes.items()
            if (fields.Datetime.to_datetime(value) or False) != (self[name] or False)
        }
        if not changes:
            raise UserError(self.env._("No SLA time was changed: nothing to correct."))
        self.check_access("write")
        engine = self.env["fs.sla.engine"]
        rows = Markup("").join(
            Markup("<li>%s: %s → %s</li>")
            % (
                self._fields[name]._description_string(self.env),
                engine._fmt(self[name]),
                engine._fmt(value),
            )
            for name, value in changes.items()
        )
        self.sudo().write(changes)
        self._message_log(
            body=Markup("<p>%s</p><ul>%s</ul>")
            % (self.env._("SLA times corrected. Reason: %s", reason), rows)
        )
        return True

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
