from odoo import api, fields, models
from odoo.exceptions import AccessError

# what decides a ticket's service level and who works it: the dispatcher's call
DISPATCH_FIELDS = (
    "service_line_id",
    "assurance_level_id",
    "priority",
    "team_id",
    "category_id",
    "sla_policy_id",
    "user_id",
)


class HelpdeskTicket(models.Model):
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
        """Technicians (and account managers, who follow tickets) work a ticket;
        reclassifying and reassigning it is for dispatchers and managers."""
        user = self.env.user
        return (
            self.env.su
            or not user.has_group("field_service_sla.group_fs_technician")
            or user.has_group("field_service_sla.group_fs_dispatcher")
            or user.has_group("helpdesk_mgmt.group_helpdesk_manager")
        )

    def write(self, vals):
        if not self._sla_user_can_dispatch():
            self._sla_check_no_dispatch_change(vals)
        return super().write(vals)

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
                # taking an unassigned ticket ("Assign to me") stays allowed
                if name == "user_id" and not current and new == self.env.uid:
                    continue
                changed.add(name)
        if changed:
            raise AccessError(
                self.env._(
                    "Only a dispatcher may reclassify or reassign a ticket; "
                    "you tried to change: %(fields)s. Ask a dispatcher.",
                    fields=", ".join(
                        self._fields[name]._description_string(self.env)
                        for name in DISPATCH_FIELDS
                        if name in changed
                    ),
                )
            )
