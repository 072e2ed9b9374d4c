import functools
from collections import defaultdict
from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

from odoo import api, fields, models
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
from .bulk_insert import insert_rows

ACTIVITY, MAIL, SMS = "activity", "mail", "sms"


class Outcome:
    """What one fired step did, for its history row."""

    __slots__ = ("actions", "activities", "digest", "mails", "sms", "told")

    def __init__(self, actions=()):
        self.actions, self.told = list(actions), []
        self.activities = self.mails = self.sms = 0
        self.digest = False


class Plan:
    """What a batch's fired steps will do, worked out before anything is
    written but the tickets themselves: each step's history (``outcome``, by
    (ticket, step, occurrence)) and the rows to write."""

    def __init__(self, keys):
        self.outcome = {key: Outcome() for key in keys}
        self.activities, self.mails, self.sms, self.notes = [], [], [], []
        self.followers = set()


class FsEscalationActions(models.AbstractModel):
    """Does what the fired steps of a sweep batch say, for the whole batch at
    once: one statement per kind of record (activities, e-mails, notes,
    followers), whatever the number of tickets. A recipient told about
    several tickets in one batch gets one digest per channel, not one message
    per ticket; each ticket's history still names every step.

    In three phases, which fs.escalation.engine runs around the recording of
    the fired steps: ``_change_tickets`` (escalation level, team, title: the
    roles are then those of the new team), ``_plan`` (reads only: who is
    told what, each step's history), ``_do`` (writes the plan). The tickets
    and the people told are read in a few queries for the batch, not through
    each record."""

    _name = "fs.escalation.actions"
    _description = "Escalation actions"

    @api.model
    def _for_batch(self):
        """Actions as the sweep does them: as superuser, in the company's
        language, a history text translated once per batch."""
        lang = self.env.company.partner_id.lang or self.env.lang
        return self.sudo().with_context(
            lang=lang, mail_activity_quick_update=True, fs_escalation_texts={}
        )

    def _said(self, key, make):
        """A text of the history, made once per batch: the same words for
        every ticket a step fired on (translating is not free)."""
        texts = self.env.context["fs_escalation_texts"]
        if key not in texts:
            texts[key] = make()
        return texts[key]

    def _fired_steps(self, due):
        """``due``: (ticket id, step id, occurrence). Returns (key, ticket id,
        StepInfo, occurrence): each step read once (steps are few, the
        tickets they fire on many)."""
        steps = self.env["fs.escalation.step"].browse({row[1] for row in due})
        info = {step.id: StepInfo(self.env, step) for step in steps}
        return [((tid, sid, occ), tid, info[sid], occ) for tid, sid, occ in due]

    # ------------------------------------------------------------------
    # phase 1: the tickets themselves
    # ------------------------------------------------------------------
    def _change_tickets(self, fired):
        """Escalate, move and retitle the tickets, then read them (the roles
        are then those of a moved ticket's new team). Returns ({key: [history
        texts]}, BatchState). Written before the steps are recorded: these
        writes change the ticket rows, so a transaction that recorded the
        same steps meanwhile makes this one fail rather than do them twice
        (REPEATABLE READ)."""
        said = defaultdict(list)
        self._raise(fired, said)
        batch = BatchState(self.env, [row[1] for row in fired])
        self._tag_titles(fired, said, batch)
        return said, batch

    def _raise(self, fired, said):
        groups = defaultdict(list)
        for key, tid, step, _occ in fired:
            if step.raise_level or step.team:
                groups[(step.raise_level, step.team)].append((key, tid))
        for (raise_level, team), entries in groups.items():
            tickets = self.env["helpdesk.ticket"].browse([t for _k, t in entries])
            values = {}
            if raise_level:
                values["escalation_level"] = "province"
            if team:
                values["team_id"] = team.id
            tickets.write(values)
            for key, _tid in entries:
                if raise_level:
                    said[key].append(
                        self._said(
                            ("raise",), lambda: self.env._("Escalated to the province")
                        )
                    )
                if team:
                    said[key].append(
                        self._said(
                            ("team", team.id),
                            lambda t=team: self.env._(
                                "Moved to team %s", t.display_name
                            ),
                        )
                    )

    def _tag_titles(self, fired, said, batch):
        names = {}
        for key, tid, step, _occ in fired:
            if not step.title_tag:
                continue
            ticket = batch.tickets[tid]
            if step.title_tag == "fixed":
                tag = step.title_tag_text
            else:
                tag = title_tag(ticket.green_channel, ticket.severity == "severe")
            current = names.get(tid, ticket.name)
            names[tid] = (
                tagged_title(current, tag)
                if step.title_tag == "auto"
                else f"{tag}{current}"
            )
            said[key].append(
                self._said(("title",), lambda: self.env._("Title: %s")) % names[tid]
            )
        changed = {
            tid: name for tid, name in names.items() if name != batch.tickets[tid].name
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
        for ticket in tickets:
            batch.tickets[ticket.id].name = changed[ticket.id]
            batch.tickets[ticket.id].display_name = ticket.display_name

    # ------------------------------------------------------------------
    # phase 2: who is told what
    # ------------------------------------------------------------------
    def _plan(self, fired, said, batch, now):
        """The plan of ``fired`` (after ``_change_tickets``): reads only, so
        it can be made again for fewer steps."""
        plan = Plan(row[0] for row in fired)
        for key, texts in said.items():
            if key in plan.outcome:
                plan.outcome[key].actions += texts
        self._plan_followers(fired, plan, batch)
        self._plan_activities(fired, plan, batch, now)
        self._plan_mails(fired, plan, batch)
        self._plan_sms(fired, plan, batch, now)
        self._plan_notes(fired, plan, batch, now)
        return plan

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

    def _plan_sms(self, fired, plan, batch, now):
        items = []
        for key, tid, step, _occ in fired:
            numbers = step.numbers
            if numbers is None:
                continue
            ticket = batch.tickets[tid]
            for number in numbers:
                items.append((number, SMS, ticket, (key, step)))
            outcome = plan.outcome[key]
            outcome.sms += len(numbers)
            outcome.actions.append(step.sms_text_done)
            outcome.told.append(step.sms_text_told)
        for (number, _channel), entries in group_digests(items).items():
            if len(entries) == 1:
                ticket, (_key, step) = entries[0]
                # a ticket's own bulletin is written only for a number told
                # about it alone: the others get the digest
                body = bulletin(
                    step.sms_kind,
                    ticket.customer_name or "",
                    ticket.name,
                    fault_at=ticket.fault_at,
                    now=now,
                    tz=ticket.tz,
                    what=plain_text(ticket.description or ""),
                    restored_at=ticket.restored_at or None,
                    text=step.sms_text,
                )
            else:
                kinds = {step.sms_kind for _t, (_k, step) in entries}
                kind = kinds.pop() if len(kinds) == 1 else CUSTOM
                body = digest_sms(
                    kind,
                    [(t.customer_name or "", t.name) for t, _entry in entries],
                    now,
                    entries[0][0].tz,
                )
                for _ticket, (key, _step) in entries:
                    plan.outcome[key].digest = True
            plan.sms.append({"number": number, "body": body, "state": "outgoing"})

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

    # ------------------------------------------------------------------
    # phase 3: writing the plan
    # ------------------------------------------------------------------
    def _do(self, plan):
        self._activities(plan.activities)
        self._queue_mails(plan.mails)
        self._queue_sms(plan.sms)
        self._notes(plan.notes)
        self._subscribe(plan.followers)

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

    def _queue_sms(self, values):
        # one per number and batch (digests): the ORM's create is cheap here
        # and wakes the SMS queue
        if values:
            self.env["sms.sms"].create(values)

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

    def _stamp(self):
        return self.env.uid, self.env.cr.now()

    def _insert(self, model, values_list):
        """Insert complete rows of ``model`` in one statement (one array per
        column): mail.activity and mail.message rows of a batch, which the
        ORM would create one by one in Python (sanitising, computing,
        subscribing) for most of a sweep's time. Returns the new ids."""
        return insert_rows(self.env[model], values_list)


class StepInfo:
    """What a step does, read once per batch, with the words of its
    history."""

    __slots__ = (
        "activity_due_hours",
        "activity_roles",
        "activity_summary",
        "activity_text",
        "activity_type_id",
        "follower_roles",
        "mail_roles",
        "mail_text",
        "note_html",
        "note_text",
        "numbers",
        "raise_level",
        "sms_kind",
        "sms_text",
        "sms_text_done",
        "sms_text_told",
        "team",
        "template",
        "title_tag",
        "title_tag_text",
    )

    def __init__(self, env, step):
        _ = env._
        self.raise_level = step.raise_level
        self.team = step.target_team_id
        self.title_tag = step.title_tag
        self.title_tag_text = step.title_tag_text
        self.follower_roles = tuple(step.follower_role_ids.mapped("code"))
        kind = step.activity_type_id
        self.activity_roles = (
            tuple(step.activity_role_ids.mapped("code")) if kind else ()
        )
        self.activity_type_id = kind.id
        self.activity_summary = step.activity_summary or kind.name
        self.activity_due_hours = step.activity_due_hours
        self.activity_text = _("Activity: %s", kind.name) if kind else None
        self.template = step.mail_template_id
        self.mail_roles = tuple(step.mail_role_ids.mapped("code"))
        self.mail_text = _("E-mail: %s", self.template.name) if self.template else None
        sms_list = step.sms_list_id
        self.numbers = sms_list._numbers() if sms_list else None
        self.sms_kind = step.sms_kind
        self.sms_text = step.sms_text or ""
        if sms_list:
            self.sms_text_done = _("SMS: %s", sms_list.name)
            self.sms_text_told = _(
                "SMS: %(list)s (%(count)s numbers)",
                list=sms_list.name,
                count=len(self.numbers),
            )
        self.note_html = (
            str(Markup("<p><b>%s</b> %s</p>") % (step.display_name, step.note))
            if step.note
            else None
        )
        self.note_text = _("Note")


class TicketState:
    """What the actions read of one ticket of the batch."""

    __slots__ = (
        "account_manager_id",
        "company_id",
        "customer_id",
        "customer_name",
        "description",
        "display_name",
        "fault_at",
        "green_channel",
        "id",
        "name",
        "network_manager_id",
        "restored_at",
        "severity",
        "team_id",
        "tz",
        "user_id",
    )


class Person:
    __slots__ = ("active", "email", "name", "partner_id", "share", "tz")


class BatchState:
    """The tickets of a batch and the people their steps reach, read in a
    few queries after the tickets were escalated and retitled: one for the
    tickets with their customers, one for the people, the teams and
    companies (a handful) through the ORM. Answers who holds a role for a
    ticket: its customer's managers, its team's leader, on-call engineer
    and shift lead, its company's department leaders, its assignee."""

    def __init__(self, env, ticket_ids):
        self.env = env
        env.flush_all()
        self.tickets = self._read_tickets(ticket_ids)
        teams = env["helpdesk.ticket.team"].browse(
            {t.team_id for t in self.tickets.values() if t.team_id}
        )
        self.teams = {
            team.id: {
                "team_leader": team.user_id.ids,
                "on_call": team.fs_on_call_user_id.ids,
                "shift_lead": team.fs_shift_lead_id.ids,
            }
            for team in teams
        }
        companies = env["res.company"].browse(
            {t.company_id for t in self.tickets.values()}
        )
        self.heads = {c.id: c.fs_department_head_ids.ids for c in companies}
        # the operator's time zone: what a bulletin or a digest says is read
        # on phones and printed, not on the sweep user's screen
        zones = {c.id: c._fs_operator_tz() for c in companies}
        for ticket in self.tickets.values():
            ticket.tz = zones[ticket.company_id]
        self._cache = {}
        candidates = set()
        for ticket in self.tickets.values():
            candidates.update(
                filter(
                    None,
                    (
                        ticket.account_manager_id,
                        ticket.network_manager_id,
                        ticket.user_id,
                    ),
                )
            )
            for holders in self.teams.get(ticket.team_id, {}).values():
                candidates.update(holders)
            candidates.update(self.heads[ticket.company_id])
        self.people = self._read_people(candidates)
        self.emails = {p.partner_id: p.email for p in self.people.values()}

    def _read_tickets(self, ticket_ids):
        """The customer of a ticket is its service line's, else its own
        partner's, as a company (commercial partner)."""
        self.env.cr.execute(
            """
            SELECT t.id, t.name, t.company_id, t.team_id, t.user_id, t.severity,
                   coalesce(t.reported_date, t.create_date), t.restored_date,
                   t.description, c.id, c.name, c.green_channel,
                   c.account_manager_id, c.network_manager_id
              FROM helpdesk_ticket t
         LEFT JOIN fs_service_line l ON l.id = t.service_line_id
         LEFT JOIN res_partner p ON p.id = coalesce(l.partner_id, t.partner_id)
         LEFT JOIN res_partner c ON c.id = p.commercial_partner_id
             WHERE t.id = ANY(%s)
            """,
            (list(set(ticket_ids)),),
        )
        tickets = {}
        for row in self.env.cr.fetchall():
            ticket = TicketState()
            (
                ticket.id,
                ticket.name,
                ticket.company_id,
                ticket.team_id,
                ticket.user_id,
                ticket.severity,
                ticket.fault_at,
                ticket.restored_at,
                ticket.description,
                ticket.customer_id,
                ticket.customer_name,
                ticket.green_channel,
                ticket.account_manager_id,
                ticket.network_manager_id,
            ) = row
            tickets[ticket.id] = ticket
        # the ticket's name as the helpdesk shows it (its number first)
        records = self.env["helpdesk.ticket"].browse(list(tickets))
        records.fetch(["number", "name"])
        for record in records:
            tickets[record.id].display_name = record.display_name
        return tickets

    def _read_people(self, user_ids):
        self.env.cr.execute(
            """
            SELECT u.id, u.active, u.share, u.partner_id, p.name, p.email, p.tz
              FROM res_users u JOIN res_partner p ON p.id = u.partner_id
             WHERE u.id = ANY(%s)
            """,
            (list(user_ids),),
        )
        people = {}
        for row in self.env.cr.fetchall():
            person = Person()
            (
                uid,
                person.active,
                person.share,
                person.partner_id,
                person.name,
                person.email,
                person.tz,
            ) = row
            people[uid] = person
        return people

    def names(self, user_ids):
        # in the reader's language (、 and 和 in Chinese)
        return format_list(self.env, [self.people[uid].name for uid in user_ids])

    def users(self, roles, ticket):
        """The active internal users holding ``roles`` (codes) for
        ``ticket``, each once, in the roles' order."""
        if len(roles) == 1:
            return self._holder_ids(roles[0], ticket)
        ids = []
        for code in roles:
            ids += self._holder_ids(code, ticket)
        return list(dict.fromkeys(ids))

    def fallback(self, ticket):
        """An activity for a role nobody holds goes to the team leader, else
        to the assignee."""
        leader = self.teams.get(ticket.team_id, {}).get("team_leader")
        user_id = leader[0] if leader else ticket.user_id
        return [user_id] if user_id and self.people[user_id].active else []

    def _holder_ids(self, code, ticket):
        if code in ("account_manager", "network_manager"):
            source = ticket.customer_id
        elif code in ("on_call", "shift_lead", "team_leader"):
            source = ticket.team_id
        elif code == "department_head":
            source = ticket.company_id
        else:
            source = ticket.id
        key = (code, source)
        if key not in self._cache:
            self._cache[key] = [
                uid
                for uid in self._holders(code, ticket)
                if self.people[uid].active and not self.people[uid].share
            ]
        return self._cache[key]

    def _holders(self, code, ticket):
        if code == "account_manager":
            return [ticket.account_manager_id] if ticket.account_manager_id else []
        if code == "network_manager":
            return [ticket.network_manager_id] if ticket.network_manager_id else []
        if code in ("on_call", "shift_lead", "team_leader"):
            return self.teams.get(ticket.team_id, {}).get(code, [])
        if code == "department_head":
            return self.heads[ticket.company_id]
        if code == "assignee":
            return [ticket.user_id] if ticket.user_id else []
        return []


def _mail(partner_id, subject, body, res_id=False):
    return {
        "partner_id": partner_id,
        "subject": subject,
        "body_html": body,
        "res_id": res_id,
    }


@functools.cache
def _zone(name):
    return ZoneInfo(name)


def _local(when, tz):
    """A naive UTC datetime as wall-clock time in ``tz``."""
    return when.replace(tzinfo=UTC).astimezone(_zone(tz))


def _ticket_list(lines):
    """``lines``: (ticket name, what) pairs, as an HTML list."""
    return Markup(
        "<ul>{}</ul>".format(
            "".join(f"<li>{escape(name)}: {escape(what)}</li>" for name, what in lines)
        )
    )
