from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.tools import SQL, html2plaintext

from ..sla_core.escalation import (
    CUSTOM,
    bulletin,
    digest_sms,
    group_digests,
    tagged_title,
    title_tag,
)

ACTIVITY, MAIL, SMS = "activity", "mail", "sms"


class Outcome:
    """What one fired step did, for its history row."""

    def __init__(self):
        self.actions, self.told = [], []
        self.activities = self.mails = self.sms = 0
        self.digest = False


class FsEscalationActions(models.AbstractModel):
    """Does what the fired steps of a sweep batch say, for the whole batch at
    once: one create per kind of record (activities, e-mails, SMS, followers,
    notes), whatever the number of tickets. A recipient told about several
    tickets in one batch gets one digest per channel, not one message per
    ticket; each ticket's history still names every step."""

    _name = "fs.escalation.actions"
    _description = "Escalation actions"

    @api.model
    def _perform(self, rows, now):
        """``rows``: (fired id, ticket id, step id, occurrence) just inserted.
        Assignment mails of the activities are replaced by the digests."""
        lang = self.env.company.partner_id.lang or self.env.lang
        self.sudo().with_context(
            lang=lang, mail_activity_quick_update=True
        )._perform_batch(rows, now)

    def _perform_batch(self, rows, now):
        Ticket = self.env["helpdesk.ticket"]
        tickets = Ticket.browse(list(dict.fromkeys(row[1] for row in rows)))
        steps = self.env["fs.escalation.step"].browse({row[2] for row in rows})
        # records taken from their recordsets read through one prefetch
        ticket_of = {ticket.id: ticket for ticket in tickets}
        step_of = {step.id: step for step in steps}
        fired = [
            (fid, ticket_of[tid], step_of[sid], occ) for fid, tid, sid, occ in rows
        ]
        outcome = {fid: Outcome() for fid, *_rest in fired}
        # escalating first: the team's roles are then the new team's
        self._raise(fired, outcome)
        self._tag_titles(fired, outcome)
        roles = RoleResolver(self.env, tickets)
        self._followers(fired, outcome, roles)
        mails = []
        self._activities(fired, outcome, roles, now, mails)
        self._mails(fired, outcome, roles, mails)
        if mails:
            self.env["mail.mail"].create(mails)
        self._sms(fired, outcome, now)
        self._notes(fired, outcome)
        self._store(outcome)

    # ------------------------------------------------------------------
    # the ticket itself
    # ------------------------------------------------------------------
    def _raise(self, fired, outcome):
        groups = defaultdict(list)
        for fid, ticket, step, _occ in fired:
            if step.raise_level or step.target_team_id:
                groups[(step.raise_level, step.target_team_id)].append((fid, ticket))
        for (raise_level, team), entries in groups.items():
            tickets = self.env["helpdesk.ticket"].concat(*(t for _f, t in entries))
            values = {}
            if raise_level:
                values["escalation_level"] = "province"
            if team:
                values["team_id"] = team.id
            tickets.write(values)
            for fid, _ticket in entries:
                if raise_level:
                    outcome[fid].actions.append(self.env._("Escalated to the province"))
                if team:
                    outcome[fid].actions.append(
                        self.env._("Moved to team %s", team.display_name)
                    )

    def _tag_titles(self, fired, outcome):
        names = {}
        for fid, ticket, step, _occ in fired:
            if not step.title_tag:
                continue
            if step.title_tag == "fixed":
                tag = step.title_tag_text
            else:
                customer = _customer(ticket)
                tag = title_tag(customer.green_channel, ticket.severity == "severe")
            current = names.get(ticket.id, ticket.name)
            names[ticket.id] = (
                tagged_title(current, tag)
                if step.title_tag == "auto"
                else f"{tag}{current}"
            )
            outcome[fid].actions.append(self.env._("Title: %s", names[ticket.id]))
        changed = {
            tid: name
            for tid, name in names.items()
            if name != self.env["helpdesk.ticket"].browse(tid).name
        }
        if not changed:
            return
        # one UPDATE for the batch: the new title is in the history and the note
        self.env["helpdesk.ticket"].flush_model(["name"])
        self.env.cr.execute(
            """
            UPDATE helpdesk_ticket t SET name = v.name
              FROM unnest(%s::int[], %s::varchar[]) AS v(id, name)
             WHERE t.id = v.id
            """,
            (list(changed), list(changed.values())),
        )
        tickets = self.env["helpdesk.ticket"].browse(list(changed))
        tickets.invalidate_recordset(["name", "display_name"])
        tickets.modified(["name"])

    def _followers(self, fired, outcome, roles):
        wanted = {}
        for fid, ticket, step, _occ in fired:
            users = roles.users(step.follower_role_ids, ticket)
            for partner in users.partner_id:
                wanted[(ticket.id, partner.id)] = fid
            if users:
                outcome[fid].actions.append(
                    self.env._("Followers: %s", ", ".join(users.mapped("name")))
                )
        if not wanted:
            return
        self.env["mail.followers"].flush_model()
        self.env.cr.execute(
            """
            SELECT res_id, partner_id FROM mail_followers
             WHERE res_model = 'helpdesk.ticket' AND res_id = ANY(%s)
               AND partner_id = ANY(%s)
            """,
            (
                list({t for t, _p in wanted}),
                list({p for _t, p in wanted}),
            ),
        )
        existing = set(self.env.cr.fetchall())
        subtypes = self.env["mail.message.subtype"].default_subtypes("helpdesk.ticket")[
            0
        ]
        self.env["mail.followers"].create(
            [
                {
                    "res_model": "helpdesk.ticket",
                    "res_id": ticket_id,
                    "partner_id": partner_id,
                    "subtype_ids": [Command.set(subtypes.ids)],
                }
                for ticket_id, partner_id in wanted
                if (ticket_id, partner_id) not in existing
            ]
        )

    # ------------------------------------------------------------------
    # people
    # ------------------------------------------------------------------
    def _activities(self, fired, outcome, roles, now, mails):
        model_id = self.env["ir.model"]._get_id("helpdesk.ticket")
        values, items = [], []
        for fid, ticket, step, _occ in fired:
            if not (step.activity_role_ids and step.activity_type_id):
                continue
            users = roles.users(step.activity_role_ids, ticket) or roles.fallback(
                ticket
            )
            if not users:
                outcome[fid].told.append(self.env._("Activity: nobody holds the role"))
                continue
            due = now + timedelta(hours=step.activity_due_hours or 0)
            local_due = fields.Datetime.context_timestamp(
                self.with_context(tz=_tz(ticket)), due
            )
            summary = step.activity_summary or step.activity_type_id.name
            if step.activity_due_hours:
                summary = self.env._(
                    "%(summary)s (due %(due)s)",
                    summary=summary,
                    due=local_due.strftime("%Y-%m-%d %H:%M"),
                )
            for user in users:
                values.append(
                    {
                        "res_model_id": model_id,
                        "res_id": ticket.id,
                        "activity_type_id": step.activity_type_id.id,
                        "summary": summary,
                        "note": step.note and Markup("<p>%s</p>") % step.note,
                        "user_id": user.id,
                        "date_deadline": local_due.date(),
                    }
                )
                items.append((user.partner_id, ACTIVITY, ticket, (fid, summary)))
            outcome[fid].activities += len(users)
            outcome[fid].actions.append(
                self.env._("Activity: %s", step.activity_type_id.name)
            )
            outcome[fid].told.append(
                self.env._("Activity: %s", ", ".join(users.mapped("name")))
            )
        if not values:
            return
        self.env["mail.activity"].create(values)
        for (partner, _channel), entries in group_digests(items).items():
            if not partner.email:
                continue
            if len(entries) == 1:
                ticket, (_fid, summary) = entries[0]
                subject = self.env._(
                    "Escalation: %(ticket)s: %(summary)s",
                    ticket=ticket.display_name,
                    summary=summary,
                )
            else:
                subject = self.env._("Escalation: %s activities for you", len(entries))
                for _ticket, (fid, _summary) in entries:
                    outcome[fid].digest = True
            lines = [(ticket, summary) for ticket, (_fid, summary) in entries]
            mails.append(self._mail_values(partner, subject, _ticket_list(lines)))

    def _mails(self, fired, outcome, roles, mails):
        items = []
        for fid, ticket, step, _occ in fired:
            template = step.mail_template_id
            if not template:
                continue
            users = roles.users(step.mail_role_ids, ticket).filtered("email")
            for user in users:
                items.append((user.partner_id, MAIL, ticket, (fid, template)))
            outcome[fid].mails += len(users)
            outcome[fid].actions.append(self.env._("E-mail: %s", template.name))
            outcome[fid].told.append(
                self.env._("E-mail: %s", ", ".join(users.mapped("name")) or "-")
            )
        groups = group_digests(items)
        single = defaultdict(set)
        for entries in groups.values():
            if len(entries) == 1:
                ticket, (_fid, template) = entries[0]
                single[template].add(ticket.id)
        rendered = {
            template: template._generate_template(sorted(ids), ("subject", "body_html"))
            for template, ids in single.items()
        }
        for (partner, _channel), entries in groups.items():
            if len(entries) == 1:
                ticket, (_fid, template) = entries[0]
                values = rendered[template][ticket.id]
                mails.append(
                    {
                        **self._mail_values(
                            partner, values.get("subject"), values.get("body_html")
                        ),
                        "model": "helpdesk.ticket",
                        "res_id": ticket.id,
                    }
                )
                continue
            for _ticket, (fid, _template) in entries:
                outcome[fid].digest = True
            subject = self.env._("Escalation: %s tickets", len(entries))
            lines = [(ticket, tpl.name) for ticket, (_f, tpl) in entries]
            mails.append(self._mail_values(partner, subject, _ticket_list(lines)))

    def _mail_values(self, partner, subject, body):
        return {
            "subject": subject,
            "body_html": body,
            "recipient_ids": [Command.link(partner.id)],
            "auto_delete": True,
        }

    def _sms(self, fired, outcome, now):
        items = []
        for fid, ticket, step, _occ in fired:
            if not step.sms_list_id:
                continue
            numbers = step.sms_list_id._numbers()
            customer = _customer(ticket)
            text = bulletin(
                step.sms_kind,
                customer.name or "",
                ticket.name,
                fault_at=ticket.reported_date or ticket.create_date,
                now=now,
                tz=_tz(ticket),
                what=html2plaintext(ticket.description or ""),
                restored_at=ticket.restored_date or None,
                text=step.sms_text or "",
            )
            for number in numbers:
                items.append(
                    (number, SMS, ticket, (fid, step.sms_kind, customer.name, text))
                )
            outcome[fid].sms += len(numbers)
            outcome[fid].actions.append(self.env._("SMS: %s", step.sms_list_id.name))
            outcome[fid].told.append(
                self.env._(
                    "SMS: %(list)s (%(count)s numbers)",
                    list=step.sms_list_id.name,
                    count=len(numbers),
                )
            )
        values = []
        for (number, _channel), entries in group_digests(items).items():
            if len(entries) == 1:
                body = entries[0][1][3]
            else:
                kinds = {kind for _t, (_f, kind, _c, _x) in entries}
                kind = kinds.pop() if len(kinds) == 1 else CUSTOM
                body = digest_sms(
                    kind,
                    [(c or "", t.name) for t, (_f, _k, c, _x) in entries],
                    now,
                    _tz(entries[0][0]),
                )
                for _ticket, (fid, *_rest) in entries:
                    outcome[fid].digest = True
            values.append({"number": number, "body": body, "state": "outgoing"})
        if values:
            self.env["sms.sms"].create(values)

    def _notes(self, fired, outcome):
        bodies = defaultdict(list)
        for fid, ticket, step, _occ in fired:
            if step.note:
                bodies[ticket.id].append(
                    Markup("<p><b>%s</b> %s</p>") % (step.display_name, step.note)
                )
                outcome[fid].actions.append(self.env._("Note"))
        if bodies:
            tickets = self.env["helpdesk.ticket"].browse(list(bodies))
            tickets._message_log_batch(
                bodies={tid: Markup("").join(parts) for tid, parts in bodies.items()}
            )

    def _store(self, outcome):
        ids = list(outcome)
        self.env.cr.execute(
            SQL(
                """
                UPDATE fs_escalation_fired f
                   SET actions = v.a, recipients = v.r, activity_count = v.ac,
                       mail_count = v.mc, sms_count = v.sc, digest = v.d
                  FROM unnest(%s::int[], %s::text[], %s::text[], %s::int[],
                              %s::int[], %s::int[], %s::bool[])
                       AS v(id, a, r, ac, mc, sc, d)
                 WHERE f.id = v.id
                """,
                ids,
                ["\n".join(outcome[i].actions) for i in ids],
                ["\n".join(outcome[i].told) for i in ids],
                [outcome[i].activities for i in ids],
                [outcome[i].mails for i in ids],
                [outcome[i].sms for i in ids],
                [outcome[i].digest for i in ids],
            )
        )
        self.env["fs.escalation.fired"].browse(ids).invalidate_recordset()


class RoleResolver:
    """Who holds each role for a ticket: its customer's managers, its team's
    leader, on-call engineer and shift lead, its company's department
    leaders, its assignee. Read through the batch's prefetch."""

    def __init__(self, env, tickets):
        self.env = env
        self.empty = env["res.users"]

    def users(self, roles, ticket):
        users = self.empty
        for role in roles:
            users |= self._holders(role.code, ticket)
        return users.filtered(lambda u: u.active and not u.share)

    def fallback(self, ticket):
        """An activity for a role nobody holds goes to the team leader, else
        to the assignee."""
        return (ticket.team_id.user_id or ticket.user_id).filtered("active")

    def _holders(self, code, ticket):
        if code == "account_manager":
            return _customer(ticket).account_manager_id
        if code == "network_manager":
            return _customer(ticket).network_manager_id
        if code == "on_call":
            return ticket.team_id.fs_on_call_user_id
        if code == "shift_lead":
            return ticket.team_id.fs_shift_lead_id
        if code == "team_leader":
            return ticket.team_id.user_id
        if code == "department_head":
            return ticket.company_id.fs_department_head_ids
        if code == "assignee":
            return ticket.user_id
        return self.empty


def _customer(ticket):
    return (
        ticket.service_line_id.partner_id or ticket.partner_id
    ).commercial_partner_id


def _tz(ticket):
    company = ticket.company_id
    return company.resource_calendar_id.tz or company.partner_id.tz or "UTC"


def _ticket_list(lines):
    """``lines``: (ticket, what) pairs, as an HTML list."""
    items = Markup("").join(
        Markup("<li>%s: %s</li>") % (ticket.display_name, what)
        for ticket, what in lines
    )
    return Markup("<ul>%s</ul>") % items
