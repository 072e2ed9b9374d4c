import uuid

from odoo import api, fields, models


def company_values(env, company):
    """The company header the customer documents print."""
    return {
        "name": company.name or "",
        "address": env["fs.document"]._fs_address(company.partner_id),
        "phone": company.phone or "",
    }


def local_formatter(record, tz):
    """A function writing a stored time in ``tz``, to the minute."""
    local = record.with_context(tz=tz)

    def fmt(value):
        if not value:
            return ""
        return fields.Datetime.context_timestamp(local, value).strftime(
            "%Y-%m-%d %H:%M"
        )

    return fmt


class FsPlannedWorkNotice(models.Model):
    """A notice opens in the customer's portal: for its company's portal
    users (record rule) and for whoever holds its token, the link the
    e-mail carries."""

    _name = "fs.planned.work.notice"
    _inherit = ["fs.planned.work.notice", "portal.mixin"]

    @api.model_create_multi
    def create(self, vals_list):
        # every token at once, in the notices' INSERT (not one UPDATE each)
        for vals in vals_list:
            vals.setdefault("access_token", str(uuid.uuid4()))
        return super().create(vals_list)

    def _compute_access_url(self):
        super()._compute_access_url()
        for notice in self:
            notice.access_url = f"/my/planned-work/{notice.id}"

    def _fs_window_text(self):
        """The window as the customer reads it: in the operator's time zone,
        to the minute, the end's date only when it differs."""
        work = self.planned_work_id.sudo()
        tz = work.company_id._fs_operator_tz()
        local = self.with_context(tz=tz)
        start = fields.Datetime.context_timestamp(local, work.date_start)
        end = fields.Datetime.context_timestamp(local, work.date_end)
        end_format = "%H:%M" if end.date() == start.date() else "%Y-%m-%d %H:%M"
        return f"{start:%Y-%m-%d %H:%M} - {end.strftime(end_format)} ({tz})"

    def _fs_portal_url(self):
        # a notice made before this addon was installed has no token yet
        token = self.access_token or self.sudo()._portal_ensure_token()
        return f"{self.get_base_url()}{self.access_url}?access_token={token}"


class FsPlannedWork(models.Model):
    """The planned work's report: lines, interruption per line against what
    was announced, tickets raised; for all its customers, or one's part."""

    _inherit = "fs.planned.work"

    def _fs_report_values(self, partner_id=None):
        self.ensure_one()
        work = self.sudo()
        company = work.company_id
        tz = company._fs_operator_tz()
        fmt = local_formatter(work, tz)

        lines = work.line_ids
        notices = work.notice_ids
        tickets = work.ticket_ids
        if partner_id:
            lines = lines.filtered(lambda line: line.partner_id.id == partner_id)
            notices = notices.filtered(lambda n: n.partner_id.id == partner_id)
            tickets = tickets.filtered(
                lambda t: t.service_line_id.partner_id.id == partner_id
            )
        outcome = dict(
            self.env["helpdesk.ticket"]
            ._fields["planned_outcome"]
            ._description_selection(self.env)
        )
        return {
            "company": company_values(self.env, company),
            "number": work.reference,
            "start": fmt(work.date_start),
            "end": fmt(work.date_end),
            "tz": tz,
            "lines": [
                {
                    "customer": line.partner_id.name,
                    "circuit": line.service_line_id.circuit_ref,
                    "service": line.service_line_id.service_type_id.name or "",
                    "announced": line.expected_minutes,
                    "actual": line.actual_minutes if line.ticket_count else None,
                    "tickets": line.ticket_count,
                    "over": line.ticket_count
                    and line.actual_minutes > line.expected_minutes,
                    "down": line.still_down,
                }
                for line in lines
            ],
            "tickets": [
                {
                    "number": t.number or t.display_name,
                    "circuit": t.service_line_id.circuit_ref,
                    "reported": fmt(t.reported_date),
                    "restored": fmt(t.restored_date),
                    "outcome": outcome.get(t.planned_outcome, ""),
                }
                for t in tickets.sorted("reported_date")
            ],
            "notices": notices,
        }
