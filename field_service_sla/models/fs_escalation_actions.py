import functools
from collections import defaultdict
from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

from markupsafe import Markup

from odoo import Command, api, models
from odoo.tools import SQL, format_list
from odoo.tools.mail import generate_tracking_message_id

from ..sla_core.escalation import (
    CUSTOM,
    bulletin,
    digest_sms,
    group_digests,
    plain_text,
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
            lang=lang, mail_activity_quick_update=True, fs_escalation_texts={}
        )._perform_batch(rows, now)

    def _said(self, key, make):
        """A text of the history, made once per batch: the same words for
        every ticket a step fired on (translating is not free)."""
        texts = self.env.context["fs_escalation_texts"]
        if key not in texts:
            texts[key] = make()
        return texts[key]

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
        roles.prefetch(fired)
        followers, mails = set(), []
        self._followers(fired, outcome, roles, followers)
        self._activities(fired, outcome, roles, now, mails, followers)
        self._mails(fired, outcome, roles, mails)
        if mails:
            self.env["mail.mail"].create(mails)
        self._sms(fired, outcome, now)
        self._notes(fired, outcome, now)
        self._subscribe(followers)
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
                    outcome[fid].actions.append(
                        self._said(
                            ("raise",), lambda: self.env._("Escalated to the province")
                        )
                    )
                if team:
                    outcome[fid].actions.append(
                        self._said(
                            ("team", team.id),
                            lambda t=team: self.env._(
                                "Moved to team %s", t.display_name
                            ),
                        )
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

    def _followers(self, fired, outcome, roles, followers):
        for fid, ticket, step, _occ in fired:
            users = roles.users(step.follower_role_ids, ticket)
            followers.update((ticket.id, partner.id) for partner in users.partner_id)
            if users:
                outcome[fid].actions.append(
                    self._said(
                        ("followers", *users.ids),
                        lambda u=users: self.env._(
                            "Followers: %s", format_list(self.env, u.mapped("name"))
                        ),
                    )
                )

    def _subscribe(self, followers):
        """Subscribe (ticket, partner) pairs with the ticket's default
        subtypes: two statements, the pairs already there left alone."""
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

    def _insert(self, model, values_list):
        """Insert complete rows of ``model`` in one statement (one array per
        column): mail.activity and mail.message rows of a batch, which the
        ORM would create one by one in Python (sanitising, computing,
        subscribing) for most of a sweep's time. Returns the new ids."""
        Model = self.env[model]
        names = sorted({name for values in values_list for name in values})
        columns = [Model._fields[name] for name in names]
        arrays = SQL(", ").join(
            SQL(
                "%s::%s[]",
                [values.get(field.name) for values in values_list],
                SQL(field.column_type[1]),
            )
            for field in columns
        )
        self.env.cr.execute(
            SQL(
                "INSERT INTO %s (%s, create_uid, create_date, write_uid, write_date)"
                " SELECT *, %s, %s, %s, %s FROM unnest(%s) RETURNING id",
                SQL.identifier(Model._table),
                SQL(", ").join(SQL.identifier(name) for name in names),
                self.env.uid,
                self.env.cr.now(),
                self.env.uid,
                self.env.cr.now(),
                arrays,
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    # ------------------------------------------------------------------
    # people
    # ------------------------------------------------------------------
    def _activities(self, fired, outcome, roles, now, mails, followers):
        model_id = self.env["ir.model"]._get_id("helpdesk.ticket")
        values, items = [], []
        for fid, ticket, step, _occ in fired:
            if not (step.activity_role_ids and step.activity_type_id):
                continue
            users = roles.users(step.activity_role_ids, ticket) or roles.fallback(
                ticket
            )
            if not users:
                outcome[fid].told.append(
                    self._said(
                        ("nobody",),
                        lambda: self.env._("Activity: nobody holds the role"),
                    )
                )
                continue
            due = now + timedelta(hours=step.activity_due_hours or 0)
            local_due = _local(due, _tz(ticket))
            summary = step.activity_summary or step.activity_type_id.name
            if step.activity_due_hours:
                due_text = local_due.strftime("%Y-%m-%d %H:%M")
                summary = self._said(
                    ("due", summary, due_text),
                    lambda s=summary, d=due_text: self.env._(
                        "%(summary)s (due %(due)s)", summary=s, due=d
                    ),
                )
            for user in users:
                values.append(
                    {
                        "res_model_id": model_id,
                        "res_model": "helpdesk.ticket",
                        "res_id": ticket.id,
                        "res_name": ticket.display_name,
                        "activity_type_id": step.activity_type_id.id,
                        "summary": summary,
                        "user_id": user.id,
                        "user_tz": user.tz,
                        "date_deadline": local_due.date(),
                        "automated": True,
                        "active": True,
                    }
                )
                # what mail.activity's create does: the assignee follows
                followers.add((ticket.id, user.partner_id.id))
                items.append((user.partner_id, ACTIVITY, ticket, (fid, summary)))
            outcome[fid].activities += len(users)
            outcome[fid].actions.append(
                self._said(
                    ("activity", step.activity_type_id.id),
                    lambda s=step: self.env._("Activity: %s", s.activity_type_id.name),
                )
            )
            outcome[fid].told.append(
                self._said(
                    ("told", *users.ids),
                    lambda u=users: self.env._(
                        "Activity: %s", format_list(self.env, u.mapped("name"))
                    ),
                )
            )
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
            outcome[fid].actions.append(
                self._said(
                    ("mail", template.id),
                    lambda t=template: self.env._("E-mail: %s", t.name),
                )
            )
            outcome[fid].told.append(
                self._said(
                    ("mailed", *users.ids),
                    lambda u=users: self.env._(
                        "E-mail: %s", format_list(self.env, u.mapped("name")) or "-"
                    ),
                )
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
            # the message's own body too, as mail.template's send_mail gives
            # it: the ticket's chatter shows the e-mail, not an empty entry
            "body": body,
            "recipient_ids": [Command.link(partner.id)],
            "auto_delete": True,
        }

    def _sms(self, fired, outcome, now):
        items = []
        for fid, ticket, step, _occ in fired:
            if not step.sms_list_id:
                continue
            numbers = self._said(
                ("numbers", step.sms_list_id.id), step.sms_list_id._numbers
            )
            customer = _customer(ticket)
            text = bulletin(
                step.sms_kind,
                customer.name or "",
                ticket.name,
                fault_at=ticket.reported_date or ticket.create_date,
                now=now,
                tz=_tz(ticket),
                what=plain_text(ticket.description or ""),
                restored_at=ticket.restored_date or None,
                text=step.sms_text or "",
            )
            for number in numbers:
                items.append(
                    (number, SMS, ticket, (fid, step.sms_kind, customer.name, text))
                )
            outcome[fid].sms += len(numbers)
            outcome[fid].actions.append(
                self._said(
                    ("sms", step.sms_list_id.id),
                    lambda s=step: self.env._("SMS: %s", s.sms_list_id.name),
                )
            )
            outcome[fid].told.append(
                self._said(
                    ("texted", step.sms_list_id.id),
                    lambda s=step, n=numbers: self.env._(
                        "SMS: %(list)s (%(count)s numbers)",
                        list=s.sms_list_id.name,
                        count=len(n),
                    ),
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

    def _notes(self, fired, outcome, now):
        """Internal notes, as _message_log_batch writes them, in one INSERT."""
        bodies = defaultdict(list)
        tickets = {}
        for fid, ticket, step, _occ in fired:
            if step.note:
                bodies[ticket.id].append(
                    Markup("<p><b>%s</b> %s</p>") % (step.display_name, step.note)
                )
                tickets[ticket.id] = ticket
                outcome[fid].actions.append(
                    self._said(("note",), lambda: self.env._("Note"))
                )
        if not bodies:
            return
        author = self.env.user.partner_id
        subtype = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note")
        self._insert(
            "mail.message",
            [
                {
                    "model": "helpdesk.ticket",
                    "res_id": ticket_id,
                    "record_company_id": tickets[ticket_id].company_id.id,
                    "body": str(Markup("").join(parts)),
                    "message_type": "notification",
                    "subtype_id": subtype,
                    "is_internal": True,
                    "author_id": author.id,
                    "email_from": author.email_formatted,
                    "email_add_signature": False,
                    "message_id": generate_tracking_message_id("message-notify"),
                    "date": now,
                }
                for ticket_id, parts in bodies.items()
            ],
        )
        self.env["mail.message"].invalidate_model()
        self.env["helpdesk.ticket"].browse(list(bodies)).invalidate_recordset(
            ["message_ids"]
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
    leaders, its assignee. Read through the batch's prefetch; each holder
    is looked up once per customer, team or company of the batch."""

    def __init__(self, env, tickets):
        self.env = env
        self.empty = env["res.users"]
        self._cache = {}
        self._prefetch = ()

    def prefetch(self, fired):
        """Resolve every role of the batch first and read the people in one
        go: the activities, e-mails and digests then read them from the
        cache instead of one query per person."""
        ids = []
        for _fid, ticket, step, _occ in fired:
            roles = step.activity_role_ids | step.mail_role_ids | step.follower_role_ids
            for role in roles:
                ids += self._holder_ids(role.code, ticket)
            ids += (ticket.team_id.user_id | ticket.user_id).ids
        users = self.empty.browse(set(ids))
        users.fetch(["name", "partner_id", "active", "share"])
        users.partner_id.fetch(["name", "email", "tz"])
        self._prefetch = tuple(users.ids)

    def users(self, roles, ticket):
        ids = []
        for role in roles:
            ids += self._holder_ids(role.code, ticket)
        return self.empty.browse(list(dict.fromkeys(ids))).with_prefetch(self._prefetch)

    def fallback(self, ticket):
        """An activity for a role nobody holds goes to the team leader, else
        to the assignee."""
        return (ticket.team_id.user_id or ticket.user_id).filtered("active")

    def _holder_ids(self, code, ticket):
        if code in ("account_manager", "network_manager"):
            source = _customer(ticket)
        elif code in ("on_call", "shift_lead", "team_leader"):
            source = ticket.team_id
        elif code == "department_head":
            source = ticket.company_id
        else:
            source = ticket
        key = (code, source.id)
        if key not in self._cache:
            users = self._holders(code, source)
            self._cache[key] = users.filtered(lambda u: u.active and not u.share).ids
        return self._cache[key]

    def _holders(self, code, source):
        return {
            "account_manager": lambda: source.account_manager_id,
            "network_manager": lambda: source.network_manager_id,
            "on_call": lambda: source.fs_on_call_user_id,
            "shift_lead": lambda: source.fs_shift_lead_id,
            "team_leader": lambda: source.user_id,
            "department_head": lambda: source.fs_department_head_ids,
            "assignee": lambda: source.user_id,
        }.get(code, lambda: self.empty)()


def _customer(ticket):
    return (
        ticket.service_line_id.partner_id or ticket.partner_id
    ).commercial_partner_id


def _tz(ticket):
    company = ticket.company_id
    return company.resource_calendar_id.tz or company.partner_id.tz or "UTC"


@functools.cache
def _zone(name):
    return ZoneInfo(name)


def _local(when, tz):
    """A naive UTC datetime as wall-clock time in ``tz``."""
    return when.replace(tzinfo=UTC).astimezone(_zone(tz))


def _ticket_list(lines):
    """``lines``: (ticket, what) pairs, as an HTML list."""
    items = Markup("").join(
        Markup("<li>%s: %s</li>") % (ticket.display_name, what)
        for ticket, what in lines
    )
    return Markup("<ul>%s</ul>") % items
