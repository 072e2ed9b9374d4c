import functools
from collections import defaultdict
from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

from odoo import models

from ..sla_core.escalation import group_digests
from .fs_escalation_actions import ACTIVITY
from .fs_escalation_mail import _mail, _ticket_list


class FsEscalationActions(models.AbstractModel):
    """Activities: one per role holder and step, and the e-mail that tells
    each holder of them (one digest for several tickets)."""

    _inherit = "fs.escalation.actions"

    def _plan_activities(self, fired, plan, batch, now):
        model_id = self.env["ir.model"]._get_id("helpdesk.ticket")
        items = []
        for key, tid, step, _occ in fired:
            if not step.activity_roles:
                continue
            ticket = batch.tickets[tid]
            users = batch.users(step.activity_roles, ticket) or batch.fallback(ticket)
            outcome = plan.outcome[key]
            if not users:
                outcome.told.append(
                    self._said(
                        ("nobody",),
                        lambda: self.env._("Activity: nobody holds the role"),
                    )
                )
                continue
            local_due = _local(
                now + timedelta(hours=step.activity_due_hours or 0), ticket.tz
            )
            summary = step.activity_summary
            if step.activity_due_hours:
                due_text = local_due.strftime("%Y-%m-%d %H:%M")
                summary = self._said(
                    ("due", summary, due_text),
                    lambda s=summary, d=due_text: self.env._(
                        "%(summary)s (due %(due)s)", summary=s, due=d
                    ),
                )
            for uid in users:
                person = batch.people[uid]
                plan.activities.append(
                    {
                        "res_model_id": model_id,
                        "res_model": "helpdesk.ticket",
                        "res_id": tid,
                        "res_name": ticket.display_name,
                        "activity_type_id": step.activity_type_id,
                        "summary": summary,
                        "user_id": uid,
                        "user_tz": person.tz,
                        "date_deadline": local_due.date(),
                        "automated": True,
                        "active": True,
                    }
                )
                # what mail.activity's create does: the assignee follows
                plan.followers.add((tid, person.partner_id))
                items.append((person.partner_id, ACTIVITY, ticket, (key, summary)))
            outcome.activities += len(users)
            outcome.actions.append(step.activity_text)
            outcome.told.append(
                self._said(
                    ("told", *users),
                    lambda u=users: self.env._("Activity: %s", batch.names(u)),
                )
            )
        for (partner_id, _channel), entries in group_digests(items).items():
            if not batch.emails.get(partner_id):
                continue
            if len(entries) == 1:
                ticket, (_key, summary) = entries[0]
                subject = self.env._(
                    "Escalation: %(ticket)s: %(summary)s",
                    ticket=ticket.display_name,
                    summary=summary,
                )
            else:
                subject = self.env._("Escalation: %s activities for you", len(entries))
                for _ticket, (key, _summary) in entries:
                    plan.outcome[key].digest = True
            lines = [
                (ticket.display_name, summary) for ticket, (_k, summary) in entries
            ]
            plan.mails.append(_mail(partner_id, subject, _ticket_list(lines)))

    def _activities(self, values):
        if not values:
            return
        self._insert("mail.activity", values)
        self.env["mail.activity"].invalidate_model()
        tickets = self.env["helpdesk.ticket"].browse({v["res_id"] for v in values})
        tickets.invalidate_recordset(["activity_ids"])
        per_user = defaultdict(int)
        for value in values:
            per_user[value["user_id"]] += 1
        for user in self.env["res.users"].browse(list(per_user)):
            user._bus_send(
                "mail.activity/updated",
                {"activity_created": True, "count_diff": per_user[user.id]},
            )


@functools.cache
def _zone(name):
    return ZoneInfo(name)


def _local(when, tz):
    """A naive UTC datetime as wall-clock time in ``tz``."""
    return when.replace(tzinfo=UTC).astimezone(_zone(tz))
