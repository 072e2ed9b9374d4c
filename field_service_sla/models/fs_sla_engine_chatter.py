from markupsafe import Markup, escape

from odoo import api, fields, models


class FsSlaEngine(models.AbstractModel):
    """What the engine tells people: the SLA administrators' activity on a
    configuration error, the chatter line of a reclassified ticket, and
    the dates it writes in them."""

    _inherit = "fs.sla.engine"

    # ------------------------------------------------------------------
    # chatter
    # ------------------------------------------------------------------
    @api.model
    def _report_config_errors(self, broken):
        """One activity per policy for the SLA administrators, whatever the
        number of tickets: an open one is completed with the new tickets."""
        activity_type = self.env.ref("mail.mail_activity_data_warning")
        admins = (
            self.env.ref("field_service_sla.group_fs_sla_admin").sudo().all_user_ids
        )
        admins = admins.filtered(lambda u: u.active and not u.share)
        Ticket = self.env["helpdesk.ticket"].sudo()
        by_policy = {}
        for milestone, ids in broken.items():
            entry = by_policy.setdefault(milestone.policy_id, [set(), set()])
            entry[0].add(milestone.calendar_id.display_name)
            entry[1].update(ids)
        for policy, (calendars, ids) in by_policy.items():
            policy = policy.sudo()
            names = ", ".join(Ticket.browse(sorted(ids)).mapped("display_name"))
            open_activity = policy.activity_ids.filtered(
                lambda a: a.activity_type_id == activity_type
            )[:1]
            user = open_activity.user_id or (
                policy.write_uid if policy.write_uid in admins else admins[:1]
            )
            # in the administrator's language, whoever's write broke the clocks
            env = self.with_context(
                lang=user.lang or policy.company_id.partner_id.lang or "en_US"
            ).env
            note = Markup("<p>%s</p>") % env._(
                "Calendar %(calendars)s has no working time left: the SLA clocks "
                "of these tickets could not be computed and are in configuration "
                "error: %(tickets)s. Give the calendar working time again; the "
                "clocks are then recomputed.",
                calendars=", ".join(sorted(calendars)),
                tickets=names,
            )
            if open_activity:
                open_activity.note = (open_activity.note or Markup("")) + note
                continue
            policy.activity_schedule(
                activity_type_id=activity_type.id,
                summary=env._("SLA clocks in configuration error"),
                note=note,
                user_id=user.id or self.env.uid,
            )

    @api.model
    def _log_recompute(self, tickets, before):
        labels = dict(
            self.env["fs.sla.clock"]._fields["kind"]._description_selection(self.env)
        )
        for ticket in tickets:
            old = before.get(ticket.id)
            if not old:
                continue
            rows = []
            for clock in ticket.sla_clock_ids:
                previous = old["deadlines"].get(clock.kind)
                if previous != clock.deadline:
                    rows.append(
                        Markup("<li>%s: %s → %s</li>")
                        % (
                            labels.get(clock.kind),
                            self._fmt(previous),
                            self._fmt(clock.deadline),
                        )
                    )
            if old["policy"] == ticket.sla_policy_id and not rows:
                continue
            body = Markup("<p>%s</p>") % self.env._(
                "Ticket reclassified: SLA policy %(old)s → %(new)s; open milestones "
                "recomputed from their original start.",
                old=old["policy"].display_name or "-",
                new=ticket.sla_policy_id.display_name or "-",
            )
            if rows:
                body += Markup("<ul>%s</ul>") % Markup("").join(rows)
            ticket._message_log(body=body)

    @api.model
    def _fmt(self, value):
        if not value:
            return "-"
        return escape(
            fields.Datetime.context_timestamp(self, value).strftime("%Y-%m-%d %H:%M")
        )
