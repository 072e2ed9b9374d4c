from collections import defaultdict

from markupsafe import Markup, escape

from odoo import fields, models
from odoo.tools import SQL

from ..sla_core.escalation import group_digests
from .fs_escalation_actions import MAIL


class FsEscalationActions(models.AbstractModel):
    """E-mails: a step's template to the role holders, a digest for a
    recipient told about several tickets, queued for the batch at once."""

    _inherit = "fs.escalation.actions"

    def _plan_mails(self, fired, plan, batch):
        items = []
        for key, tid, step, _occ in fired:
            template = step.template
            if not template:
                continue
            ticket = batch.tickets[tid]
            users = [
                uid
                for uid in batch.users(step.mail_roles, ticket)
                if batch.people[uid].email
            ]
            for uid in users:
                items.append(
                    (batch.people[uid].partner_id, MAIL, ticket, (key, template))
                )
            outcome = plan.outcome[key]
            outcome.mails += len(users)
            outcome.actions.append(step.mail_text)
            outcome.told.append(
                self._said(
                    ("mailed", *users),
                    lambda u=users: self.env._("E-mail: %s", batch.names(u) or "-"),
                )
            )
        groups = group_digests(items)
        single = defaultdict(set)
        for entries in groups.values():
            if len(entries) == 1:
                ticket, (_key, template) = entries[0]
                single[template].add(ticket.id)
        rendered = {
            template: template._generate_template(sorted(ids), ("subject", "body_html"))
            for template, ids in single.items()
        }
        for (partner_id, _channel), entries in groups.items():
            if len(entries) == 1:
                ticket, (_key, template) = entries[0]
                values = rendered[template][ticket.id]
                plan.mails.append(
                    _mail(
                        partner_id,
                        values.get("subject"),
                        values.get("body_html"),
                        ticket.id,
                    )
                )
                continue
            for _ticket, (key, _template) in entries:
                plan.outcome[key].digest = True
            subject = self.env._("Escalation: %s tickets", len(entries))
            lines = [(ticket.display_name, tpl.name) for ticket, (_k, tpl) in entries]
            plan.mails.append(_mail(partner_id, subject, _ticket_list(lines)))

    def _queue_mails(self, mails):
        """Queue the e-mails of the batch in one statement (their messages,
        the mails, their recipients), with the values mail.mail's create
        gives them, and wake the mail queue: the escalation does not wait for
        its hourly run."""
        if not mails:
            return
        author_id, email_from = self.env["mail.thread"]._message_compute_author()
        res_ids = [mail["res_id"] for mail in mails if mail["res_id"]]
        reply_to = self.env["mail.thread"]._notify_get_reply_to(
            default=email_from, author_id=author_id
        )
        if res_ids:
            reply_to.update(
                self.env["helpdesk.ticket"]
                .browse(res_ids)
                ._notify_get_reply_to(default=email_from, author_id=author_id)
            )
        Message = self.env["mail.message"]
        message_ids = [
            Message._get_message_id(
                {
                    "model": "helpdesk.ticket" if mail["res_id"] else False,
                    "res_id": mail["res_id"],
                    "message_type": "email_outgoing",
                }
            )
            for mail in mails
        ]
        self.env["mail.mail"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                WITH v AS (
                    SELECT * FROM unnest(%s::varchar[], %s::varchar[], %s::text[],
                                         %s::int[], %s::varchar[], %s::int[])
                           AS v(message_id, subject, body_html, res_id, reply_to,
                                partner_id)
                ), message AS (
                    INSERT INTO mail_message
                           (message_id, subject, body, message_type, model, res_id,
                            author_id, email_from, reply_to, email_add_signature,
                            date, create_uid, create_date, write_uid, write_date)
                    SELECT v.message_id, v.subject, COALESCE(v.body_html, ''),
                           'email_outgoing',
                           CASE WHEN v.res_id IS NOT NULL
                                THEN 'helpdesk.ticket' END,
                           v.res_id, %s, %s, v.reply_to, TRUE, %s, %s, %s, %s, %s
                      FROM v
                 RETURNING id, message_id
                ), mail AS (
                    INSERT INTO mail_mail
                           (mail_message_id, body_html, state, auto_delete,
                            create_uid, create_date, write_uid, write_date)
                    SELECT message.id, v.body_html, 'outgoing', TRUE, %s, %s, %s, %s
                      FROM message JOIN v USING (message_id)
                 RETURNING id, mail_message_id
                )
                INSERT INTO mail_mail_res_partner_rel (mail_mail_id, res_partner_id)
                SELECT mail.id, v.partner_id
                  FROM mail
                  JOIN message ON message.id = mail.mail_message_id
                  JOIN v USING (message_id)
                """,
                message_ids,
                [mail["subject"] or None for mail in mails],
                [mail["body_html"] or None for mail in mails],
                [mail["res_id"] or None for mail in mails],
                [reply_to[mail["res_id"]] or None for mail in mails],
                [mail["partner_id"] for mail in mails],
                author_id,
                email_from,
                fields.Datetime.now(),
                *self._stamp(),
                *self._stamp(),
                *self._stamp(),
                *self._stamp(),
            )
        )
        self.env["mail.mail"].invalidate_model()
        self.env["mail.message"].invalidate_model()
        queue = self.env.ref(
            "mail.ir_cron_mail_scheduler_action", raise_if_not_found=False
        )
        if queue:
            queue._trigger()


def _mail(partner_id, subject, body, res_id=False):
    return {
        "partner_id": partner_id,
        "subject": subject,
        "body_html": body,
        "res_id": res_id,
    }


def _ticket_list(lines):
    """``lines``: (ticket name, what) pairs, as an HTML list."""
    return Markup(
        "<ul>{}</ul>".format(
            "".join(f"<li>{escape(name)}: {escape(what)}</li>" for name, what in lines)
        )
    )
