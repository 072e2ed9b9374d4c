from collections import defaultdict

from odoo import models
from odoo.tools.mail import generate_tracking_message_id


class FsEscalationActions(models.AbstractModel):
    """The ticket's chatter: the followers a step adds and its internal
    note, planned and written for the batch."""

    _inherit = "fs.escalation.actions"

    def _plan_followers(self, fired, plan, batch):
        for key, tid, step, _occ in fired:
            if not step.follower_roles:
                continue
            users = batch.users(step.follower_roles, batch.tickets[tid])
            if not users:
                continue
            plan.followers.update((tid, batch.people[u].partner_id) for u in users)
            plan.outcome[key].actions.append(
                self._said(
                    ("followers", *users),
                    lambda u=users: self.env._("Followers: %s", batch.names(u)),
                )
            )

    def _plan_notes(self, fired, plan, batch, now):
        """Internal notes, as _message_log_batch writes them."""
        parts = defaultdict(list)
        for key, tid, step, _occ in fired:
            if step.note_html:
                parts[tid].append(step.note_html)
                plan.outcome[key].actions.append(step.note_text)
        if not parts:
            return
        author = self.env.user.partner_id
        subtype = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note")
        plan.notes = [
            {
                "model": "helpdesk.ticket",
                "res_id": tid,
                "record_company_id": batch.tickets[tid].company_id,
                "body": "".join(bodies),
                "message_type": "notification",
                "subtype_id": subtype,
                "is_internal": True,
                "author_id": author.id,
                "email_from": author.email_formatted,
                "email_add_signature": False,
                "message_id": generate_tracking_message_id("message-notify"),
                "date": now,
            }
            for tid, bodies in parts.items()
        ]

    def _notes(self, values):
        if not values:
            return
        self._insert("mail.message", values)
        self.env["mail.message"].invalidate_model()
        self.env["helpdesk.ticket"].browse(
            {v["res_id"] for v in values}
        ).invalidate_recordset(["message_ids"])

    def _subscribe(self, followers):
        """Subscribe (ticket, partner) pairs with the ticket's default
        subtypes: one statement, the pairs already there left alone."""
        if not followers:
            return
        subtypes = self.env["mail.message.subtype"].default_subtypes("helpdesk.ticket")[
            0
        ]
        self.env["mail.followers"].flush_model()
        self.env.cr.execute(
            """
            WITH new AS (
                INSERT INTO mail_followers (res_model, res_id, partner_id)
                SELECT 'helpdesk.ticket', v.t, v.p
                  FROM unnest(%s::int[], %s::int[]) AS v(t, p)
                ON CONFLICT DO NOTHING
             RETURNING id
            )
            INSERT INTO mail_followers_mail_message_subtype_rel
                   (mail_followers_id, mail_message_subtype_id)
            SELECT new.id, s FROM new, unnest(%s::int[]) AS s
            """,
            (
                [t for t, _p in followers],
                [p for _t, p in followers],
                subtypes.ids,
            ),
        )
        tickets = self.env["helpdesk.ticket"].browse({t for t, _p in followers})
        tickets.invalidate_recordset(["message_follower_ids", "message_partner_ids"])
        self.env["mail.followers"].invalidate_model()
