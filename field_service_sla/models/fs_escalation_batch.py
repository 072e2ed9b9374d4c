"""What the escalation actions read of a batch, once: its steps, its
tickets and the people their roles reach (plain Python, no model)."""

from markupsafe import Markup

from odoo import fields
from odoo.tools import format_list


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
        # during an assurance period, its roster's engineer of the day is the
        # on-call engineer of the tickets on its lines
        self.duty = env["fs.assurance.duty"]._on_call_users(
            self.tickets, zones, fields.Datetime.now()
        )
        self._cache = {}
        candidates = set(self.duty.values())
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
        if code == "on_call" and ticket.id in self.duty:
            source = ("duty", self.duty[ticket.id])
        elif code in ("account_manager", "network_manager"):
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
        if code == "on_call" and ticket.id in self.duty:
            return [self.duty[ticket.id]]
        if code in ("on_call", "shift_lead", "team_leader"):
            return self.teams.get(ticket.team_id, {}).get(code, [])
        if code == "department_head":
            return self.heads[ticket.company_id]
        if code == "assignee":
            return [ticket.user_id] if ticket.user_id else []
        return []
