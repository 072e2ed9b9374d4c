from odoo import api, fields, models
from odoo.exceptions import AccessError

# What decides a ticket's service level and who works it: the dispatcher's
# call once the ticket exists (whoever opens a ticket classifies it first).
DISPATCH_FIELDS = (
    "service_line_id",
    "assurance_level_id",
    "priority",
    "team_id",
    "category_id",
    "partner_id",
    "company_id",
    "user_id",
)
# What only the engines write (as superuser), in create, write and copy alike:
# the policy they chose and their summaries, what the policy is chosen from,
# the severity rules' verdicts, the escalation, and the times that other
# processes stamp (assignment, closing, the approval of the fault report).
# Corrections go through the wizard (fs.sla.time.correction).
ENGINE_FIELDS = (
    "sla_policy_id",
    "sla_state",
    "sla_deadline",
    "customer_segment",
    "customer_tier_id",
    "service_type_id",
    "fs_city",
    "restore_duration_hours",
    "severity_rule_id",
    "severity_pending",
    "severity_due_date",
    "incident_id",
    "escalation_level",
    "escalation_requested_date",
    "assigned_date",
    "closed_date",
    "report_date",
    # what the alarm intake maintains (fs.alarm.intake)
    "fs_alarm_ids",
    "fs_alarm_count",
    "fs_alarm_active_count",
    "fs_alarms_cleared_at",
    "fs_alarm_flap_count",
    "fs_alarm_element",
    "fs_alarm_restore_failed",
)


class HelpdeskTicket(models.Model):
    """Who may write what of a ticket: one guard for create, write and copy
    (copy creates). Recorded SLA times: helpdesk_ticket_sla_times; the
    severity's reason and closed-ticket rules: helpdesk_ticket_severity (both
    ask ``_sla_user_can_dispatch``)."""

    _inherit = "helpdesk.ticket"

    sla_can_dispatch = fields.Boolean(
        string="May reclassify and reassign",
        compute="_compute_sla_can_dispatch",
        help="The user may reclassify and reassign the ticket.",
    )

    @api.depends_context("uid")
    def _compute_sla_can_dispatch(self):
        self.sla_can_dispatch = self._sla_user_can_dispatch()

    def _sla_user_can_dispatch(self):
        """Reclassifying, reassigning, assessing the severity and escalating
        are for dispatchers and helpdesk managers (SLA administrators are
        both), by membership: technicians, account managers and plain
        helpdesk users work and follow tickets."""
        user = self.env.user
        return (
            self.env.su
            or user.has_group("field_service_sla.group_fs_dispatcher")
            or user.has_group("helpdesk_mgmt.group_helpdesk_manager")
        )

    @api.model
    def fields_get(self, allfields=None, attributes=None):
        # the forms show what the engines write read-only, to every user
        described = super().fields_get(allfields, attributes)
        if self.env.su or (attributes is not None and "readonly" not in attributes):
            return described
        for name in ENGINE_FIELDS:
            if name in described:
                described[name]["readonly"] = True
        return described

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            defaults = {
                key.removeprefix("default_")
                for key in self.env.context
                if key.startswith("default_")
            }
            self._sla_check_no_engine_field(set().union(defaults, *vals_list))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._sla_check_no_engine_field(vals)
            if not self._sla_user_can_dispatch():
                self._sla_check_no_dispatch_change(vals)
        return super().write(vals)

    def _sla_may_take_or_hand_over(self, current, new):
        """Who works a ticket without dispatching it: anyone may take an
        unassigned ticket ("Assign to me"), and its assignee may hand it over
        to another member of the ticket's team. Moving it elsewhere, or taking
        someone else's, is the dispatcher's."""
        if not current:
            return new == self.env.uid
        return (
            current == self.env.uid
            and bool(new)
            and new in self.sudo().team_id.user_ids.ids
        )

    def _sla_check_no_engine_field(self, names):
        refused = [name for name in ENGINE_FIELDS if name in names]
        if refused:
            raise AccessError(
                self.env._(
                    "%(fields)s of a ticket are set by the SLA, severity and "
                    "escalation rules, not by hand: use the ticket's buttons "
                    "(a dispatcher corrects SLA times with Correct SLA times).",
                    fields=self._sla_field_labels(refused),
                )
            )

    def _sla_field_labels(self, names):
        return ", ".join(
            self._fields[name]._description_string(self.env) for name in names
        )

    def _sla_check_no_dispatch_change(self, vals):
        changed = set()
        for ticket in self:
            for name in DISPATCH_FIELDS:
                if name not in vals:
                    continue
                current = ticket[name]
                if isinstance(current, models.BaseModel):
                    current = current.id
                new = vals[name]
                if (current or False) == (new or False):
                    continue
                if name == "user_id" and ticket._sla_may_take_or_hand_over(
                    current, new
                ):
                    continue
                changed.add(name)
        if changed:
            raise AccessError(
                self.env._(
                    "Only a dispatcher may reclassify or reassign a ticket; "
                    "you tried to change: %(fields)s. Ask a dispatcher.",
                    fields=self._sla_field_labels(
                        [name for name in DISPATCH_FIELDS if name in changed]
                    ),
                )
            )
