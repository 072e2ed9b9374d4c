from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL

from ..sla_core.planned_work import FAULT, PLANNED, Window, planned_pause

OUTCOMES = [(PLANNED, "Planned work"), (FAULT, "Fault after planned work")]


class HelpdeskTicket(models.Model):
    """A ticket raised on a line of an announced planned work, in its window,
    is that planned work's: its clocks pause until the window ends (a pause
    of the "planned work" reason with its own end, which the SLA engine
    reads as any pause), its escalation waits with them, and it leaves the
    month's figures as planned (the exclusion of the severity engine, with
    the planned work as its reason). Still down when the window ends, it
    runs from there as any fault and counts again (fs.planned.work's
    _cron_settle_windows)."""

    _inherit = "helpdesk.ticket"

    planned_work_id = fields.Many2one(
        "fs.planned.work",
        string="Planned work",
        readonly=True,
        copy=False,
        index="btree_not_null",
        tracking=True,
    )
    planned_outcome = fields.Selection(
        OUTCOMES,
        string="Planned work outcome",
        readonly=True,
        copy=False,
        help="Planned: raised in a planned work's window and left out of the "
        "month's figures. Fault: its line stayed down after the window.",
    )

    def _fs_before_first_sync(self):
        super()._fs_before_first_sync()
        self._fs_link_planned_work()
        return True

    def _fs_link_planned_work(self):
        """Link these new tickets to the announced planned works whose window
        holds their report on their line: one indexed query for the batch."""
        reported = {
            t.id: (t.service_line_id.id, t.reported_date or t.create_date)
            for t in self
            if t.service_line_id
        }
        if not reported:
            return
        moments = [moment for _line, moment in reported.values()]
        self.env["fs.planned.work.line"].flush_model(
            ["planned_work_id", "service_line_id"]
        )
        self.env["fs.planned.work"].flush_model(["state", "date_start", "date_end"])
        # most batches fall in no announced window: a plain range probe on
        # the announced windows' index says so, without planning the join
        self.env.cr.execute(
            SQL(
                """
                SELECT 1 FROM fs_planned_work
                 WHERE state IN ('notified', 'confirmed', 'in_progress')
                   AND date_start <= %s AND date_end > %s
                 LIMIT 1
                """,
                max(moments),
                min(moments),
            )
        )
        if not self.env.cr.fetchone():
            return
        self.env.cr.execute(
            SQL(
                """
                SELECT l.service_line_id, w.id, w.date_start, w.date_end
                  FROM fs_planned_work_line l
                  JOIN fs_planned_work w ON w.id = l.planned_work_id
                 WHERE l.service_line_id = ANY(%s)
                   AND w.state IN ('notified', 'confirmed', 'in_progress')
                   AND w.date_start <= %s AND w.date_end > %s
                 ORDER BY w.date_start, w.id
                """,
                list({line for line, _moment in reported.values()}),
                max(moments),
                min(moments),
            )
        )
        windows = {}
        for line_id, work_id, start, end in self.env.cr.fetchall():
            windows.setdefault(line_id, []).append((work_id, Window(start, end)))
        if not windows:
            return
        by_work, pauses = {}, []
        for ticket_id, (line_id, moment) in reported.items():
            for work_id, window in windows.get(line_id, ()):
                pause = planned_pause(window, moment)
                if pause:
                    by_work.setdefault(work_id, []).append(ticket_id)
                    pauses.append((ticket_id, work_id, pause))
                    break
        if pauses:
            self._fs_plan(by_work, pauses)

    def _fs_plan(self, by_work, pauses):
        works = self.env["fs.planned.work"].sudo().browse(list(by_work))
        reason = self.env.ref("field_service_sla.pause_reason_planned_work")
        refs = {w.id: w.reference for w in works}
        self.env["fs.sla.pause"].sudo().create(
            [
                {
                    "ticket_id": ticket_id,
                    "reason_id": reason.id,
                    "origin": "planned",
                    "start_date": start,
                    "end_date": end,
                    "note": refs[work_id],
                    "user_id": self.env.uid,
                }
                for ticket_id, work_id, (start, end) in pauses
            ]
        )
        for work in works:
            tickets = self.browse(by_work[work.id]).sudo()
            tickets.with_context(
                fs_sla_no_sync=True,
                fs_severity_reason=self.env._("Planned work %s", work.display_name),
            ).write(
                {
                    "planned_work_id": work.id,
                    "planned_outcome": PLANNED,
                    "severity_excluded": True,
                }
            )
            work.message_post(
                body=Markup("%s")
                % self.env._(
                    "%(count)s tickets raised in the window: %(tickets)s",
                    count=len(tickets),
                    tickets=", ".join(tickets[:20].mapped("display_name")),
                ),
                subtype_xmlid="mail.mt_note",
            )

    @api.model
    def _fs_settle_planned(self, works):
        """The windows of ``works`` have ended: their tickets still down count
        as faults from now on (back in the month's figures); all their clocks
        resume."""
        for work in works:
            tickets = work.ticket_ids.sudo()
            faults = tickets.filtered(
                lambda t, end=work.date_end: (
                    t.planned_outcome == PLANNED
                    and (not t.restored_date or t.restored_date > end)
                )
            )
            if faults:
                faults.with_context(
                    fs_severity_reason=self.env._(
                        "Line still down after planned work %s ended",
                        work.display_name,
                    ),
                ).write({"planned_outcome": FAULT, "severity_excluded": False})
            rest = tickets - faults
            if tickets:
                self.env["fs.sla.engine"]._sync(tickets)
            work.message_post(
                body=self.env._(
                    "Window ended: %(planned)s tickets planned, %(faults)s still "
                    "down count as faults.",
                    planned=len(rest),
                    faults=len(faults),
                ),
                subtype_xmlid="mail.mt_note",
            )
