from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..sla_core.escalation import normalize_mobile
from ..sla_core.planned_work import CANCELLED, NOTICE, notice_sms

RESPONSES = [
    ("pending", "Not answered"),
    ("acknowledged", "Acknowledged"),
    ("objected", "Objected"),
]
VERIFICATIONS = [
    ("pending", "Not verified"),
    ("customer", "Confirmed by the customer"),
    ("test", "Verified by a test"),
]


class FsPlannedWorkNotice(models.Model):
    """What one customer is told of a planned work, and what it answers: its
    acknowledgement or objection before the window, its confirmation that
    service is back after it. One per customer and planned work, made when
    the planned work is notified."""

    _name = "fs.planned.work.notice"
    _description = "Planned work notice to a customer"
    _order = "planned_work_id desc, partner_id"
    _rec_name = "partner_id"

    planned_work_id = fields.Many2one(
        "fs.planned.work", required=True, index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one(related="planned_work_id.company_id", store=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, readonly=True
    )
    state = fields.Selection(related="planned_work_id.state", string="Planned work")
    date_start = fields.Datetime(related="planned_work_id.date_start")
    date_end = fields.Datetime(related="planned_work_id.date_end")
    emergency = fields.Boolean(related="planned_work_id.emergency")
    line_ids = fields.Many2many(
        "fs.planned.work.line", compute="_compute_line_ids", string="Lines"
    )
    line_count = fields.Integer(compute="_compute_line_ids", string="Lines affected")
    notice_days = fields.Integer(string="Notice owed (days)", readonly=True)
    sent_date = fields.Datetime(string="Told on", readonly=True)
    email_count = fields.Integer(string="E-mails", readonly=True)
    sms_count = fields.Integer(string="SMS", readonly=True)
    response = fields.Selection(
        RESPONSES, string="Answer", default="pending", required=True, readonly=True
    )
    response_date = fields.Datetime(string="Answered on", readonly=True)
    response_partner_id = fields.Many2one(
        "res.partner", string="Answered by", readonly=True
    )
    objection_reason = fields.Text(string="Objection", readonly=True)
    answer = fields.Text(
        string="Our answer",
        help="What the planner answers an objection: the customer reads it in "
        "the portal.",
    )
    verification = fields.Selection(
        VERIFICATIONS, default="pending", required=True, readonly=True
    )
    verified_date = fields.Datetime(string="Verified on", readonly=True)
    verified_by = fields.Char(string="Verified by", readonly=True)

    _work_partner_uniq = models.Constraint(
        "UNIQUE(planned_work_id, partner_id)",
        "A customer gets one notice per planned work.",
    )

    @api.depends("planned_work_id.line_ids.partner_id", "partner_id")
    def _compute_line_ids(self):
        # each work's lines grouped by customer once: filtering all the lines
        # for each notice was customers x lines (1.2 million record
        # comparisons, 4 s, for a cutover of 2,000 lines of 600 customers)
        by_customer = {}
        for work in self.planned_work_id:
            for line in work.line_ids:
                key = (work.id, line.partner_id.id)
                by_customer.setdefault(key, []).append(line.id)
        Line = self.env["fs.planned.work.line"]
        for notice in self:
            key = (notice.planned_work_id.id, notice.partner_id.id)
            notice.line_ids = Line.browse(by_customer.get(key, ()))
            notice.line_count = len(notice.line_ids)

    def write(self, vals):
        if set(vals) - {"answer"} and not self.env.su:
            raise UserError(
                self.env._(
                    "A notice records what the customer answered: only the "
                    "answer to an objection is written by hand."
                )
            )
        return super().write(vals)

    # ------------------------------------------------------------------
    # telling customers
    # ------------------------------------------------------------------
    @api.model
    def _notify(self, works):
        """Make the notices of ``works`` (one per affected customer) and send
        them by e-mail and SMS, for all customers at once: one create per
        model, whatever the number of customers."""
        now = fields.Datetime.now()
        rows = []
        for work in works:
            for partner in work.line_ids.partner_id:
                rows.append(
                    {
                        "planned_work_id": work.id,
                        "partner_id": partner.id,
                        "notice_days": work.notice_days,
                        "sent_date": now,
                    }
                )
        old = works.notice_ids  # a planned work notified again
        old.sudo().unlink()
        notices = self.sudo().create(rows)
        self._send(notices, NOTICE)
        for work in works:
            told = notices.filtered(lambda n, w=work: n.planned_work_id == w)
            work.message_post(
                body=self.env._(
                    "%(customers)s customers told of %(lines)s lines: "
                    "%(emails)s e-mails, %(sms)s SMS.",
                    customers=len(told),
                    lines=len(work.line_ids),
                    emails=sum(told.mapped("email_count")),
                    sms=sum(told.mapped("sms_count")),
                ),
                subtype_xmlid="mail.mt_note",
            )

    @api.model
    def _notify_cancelled(self, works):
        if works:
            self._send(works.notice_ids.sudo(), CANCELLED)

    @api.model
    def _contacts(self, partners):
        """{customer: its contacts}: the customer and its contact persons,
        read in one search."""
        children = (
            self.env["res.partner"]
            .sudo()
            .search([("parent_id", "in", partners.ids), ("type", "=", "contact")])
        )
        found = {p: p for p in partners}
        for child in children:
            found[child.parent_id] |= child
        return found

    @api.model
    def _send(self, notices, kind):
        """One e-mail per customer to its contacts with an address, one SMS
        per contact mobile, through the company's gateway (Odoo's SMS queue
        sends them)."""
        if not notices:
            return
        contacts = self._contacts(notices.partner_id)
        mails, sms, counts = [], [], {}
        view = "field_service_sla.planned_work_notice_mail"
        qweb = self.env["ir.qweb"]
        for notice in notices:
            work = notice.planned_work_id
            people = contacts[notice.partner_id]
            emails = people.filtered("email")
            numbers = list(
                dict.fromkeys(
                    n for n in (normalize_mobile(p.phone) for p in people) if n
                )
            )
            counts[notice.id] = (len(emails), len(numbers))
            lang = notice.partner_id.lang or self.env.lang
            local = self.with_context(lang=lang, tz=notice._customer_tz())
            start = fields.Datetime.context_timestamp(local, work.date_start)
            end = fields.Datetime.context_timestamp(local, work.date_end)
            if emails:
                body = qweb.with_context(lang=lang)._render(
                    view,
                    {
                        "notice": notice,
                        "work": work,
                        "kind": kind,
                        "start": start,
                        "end": end,
                        "lines": notice.line_ids,
                        "portal_url": notice._fs_portal_url(),
                        **self._mail_texts(local.env, kind, work, start, end),
                    },
                )
                subject = (
                    local.env._("Cancelled: %s", work.display_name)
                    if kind == CANCELLED
                    else local.env._("Planned work notice: %s", work.display_name)
                )
                mails.append(
                    {
                        "subject": subject,
                        "body_html": body,
                        "recipient_ids": [fields.Command.set(emails.ids)],
                        "model": self._name,
                        "res_id": notice.id,
                        "auto_delete": False,
                        "email_from": work.company_id.email_formatted
                        or self.env.user.email_formatted,
                    }
                )
            if numbers:
                text = notice_sms(
                    kind,
                    work.reference,
                    work.name,
                    start.replace(tzinfo=None),
                    end.replace(tzinfo=None),
                    notice.line_ids.service_line_id.mapped("circuit_ref"),
                    work.emergency,
                )
                sms += [
                    {
                        "number": number,
                        "body": text,
                        "state": "outgoing",
                        "fs_company_id": work.company_id.id,
                    }
                    for number in numbers
                ]
        if mails:
            # the reply-to mail.message would work out for each e-mail (an
            # alias search each), for all of them at once
            froms = dict.fromkeys(notices.ids, False)
            froms.update((mail["res_id"], mail["email_from"]) for mail in mails)
            reply_to = notices.sudo()._notify_get_reply_to_batch(
                defaults=froms, author_ids=dict.fromkeys(notices.ids, False)
            )
            for mail in mails:
                mail["reply_to"] = reply_to[mail["res_id"]]
        self.env["mail.mail"].sudo().create(mails)
        self.env["sms.sms"].sudo().create(sms)
        if kind == NOTICE:
            # one UPDATE per distinct pair of counts, not one per customer
            by_counts = {}
            for notice_id, pair in counts.items():
                by_counts.setdefault(pair, []).append(notice_id)
            for (emails, numbers), ids in by_counts.items():
                self.browse(ids).sudo().write(
                    {"email_count": emails, "sms_count": numbers}
                )

    @api.model
    def _mail_texts(self, env, kind, work, start, end):
        """The e-mail's sentences, whole, in the customer's language."""
        _ = env._
        values = {
            "work": work.display_name,
            "start": start.strftime("%Y-%m-%d %H:%M"),
            "end": end.strftime("%Y-%m-%d %H:%M"),
            "tz": start.tzname(),
            "title": work.name,
        }
        if kind == CANCELLED:
            intro = _(
                "The planned work %(work)s announced for %(start)s - %(end)s "
                "(%(tz)s) is cancelled: your lines below are not interrupted.",
                **values,
            )
        else:
            intro = _(
                "We will work on our network from %(start)s to %(end)s (%(tz)s): "
                "%(title)s. Your lines below are interrupted.",
                **values,
            )
        return {
            "intro": intro,
            "emergency": _("Emergency planned work: %s", work.emergency_reason or ""),
        }

    def _customer_tz(self):
        """Times told are the operator's (as the bulletins' and documents'):
        never the server's or the planner's."""
        return self.planned_work_id.company_id._fs_operator_tz()

    def _fs_portal_url(self):
        """Where the customer answers: the portal addon gives the link."""
        return False

    # ------------------------------------------------------------------
    # what the customer answers (the portal calls these after its checks)
    # ------------------------------------------------------------------
    def _fs_respond(self, response, partner, reason=""):
        self.ensure_one()
        reason = (reason or "").strip()
        if response not in ("acknowledged", "objected"):
            raise UserError(self.env._("Acknowledge or object."))
        if response == "objected" and not reason:
            raise ValidationError(
                self.env._("Say why you object: the planner answers it.")
            )
        if self.planned_work_id.state not in ("notified", "confirmed"):
            raise UserError(self.env._("This planned work can no longer be answered."))
        self.sudo().write(
            {
                "response": response,
                "response_date": fields.Datetime.now(),
                "response_partner_id": partner.id,
                "objection_reason": reason or False,
                "answer": False,
            }
        )
        work = self.planned_work_id.sudo()
        if response == "objected":
            work.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=work.user_id.id,
                summary=self.env._("Objection from %s", self.partner_id.name),
                note=reason,
            )
            body = self.env._(
                "%(customer)s objects: %(reason)s",
                customer=self.partner_id.name,
                reason=reason,
            )
        else:
            body = self.env._("%s acknowledged the notice.", self.partner_id.name)
        work.message_post(body=body, subtype_xmlid="mail.mt_note")

    def _fs_verify(self, method, who):
        """Service confirmed back, by the customer or by a test."""
        if self.planned_work_id.filtered(
            lambda w: w.state not in ("in_progress", "done", "rolled_back")
        ):
            raise UserError(
                self.env._("Service is verified once the planned work has begun.")
            )
        self.sudo().write(
            {
                "verification": method,
                "verified_date": fields.Datetime.now(),
                "verified_by": who,
            }
        )
        for notice in self:
            notice.planned_work_id.sudo().message_post(
                body=self.env._(
                    "Service of %(customer)s verified (%(how)s) by %(who)s.",
                    customer=notice.partner_id.name,
                    how=dict(VERIFICATIONS)[method],
                    who=who,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def action_verify_by_test(self):
        self.planned_work_id.check_access("write")
        self._fs_verify("test", self.env.user.name)

    @api.model
    def _demo_answer(self, work_id, partner_id, response, reason=""):
        """The demo's customers answer their notice."""
        notice = self.search(
            [("planned_work_id", "=", work_id), ("partner_id", "=", partner_id)]
        )
        if notice.response == "pending":
            notice._fs_respond(response, notice.partner_id, reason)
