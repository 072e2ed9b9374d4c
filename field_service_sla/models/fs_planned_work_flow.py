import logging

from odoo import api, fields, models
from odoo.exceptions import UserError

from .fs_planned_work import ANNOUNCED

_logger = logging.getLogger(__name__)


class FsPlannedWork(models.Model):
    """A planned work's life: draft → notified → confirmed → in progress →
    done (verified) or rolled back; cancelled before it begins. Each step is
    a button, checked here; the window's end is settled by a cron."""

    _inherit = "fs.planned.work"

    # ------------------------------------------------------------------
    # life: draft → notified → confirmed → in progress → done / rolled back
    # ------------------------------------------------------------------
    def _check_planner(self):
        self.check_access("write")

    def action_notify(self):
        self._check_planner()
        self._check_can_notify()
        self._move("notified", ("draft",), notified_date=fields.Datetime.now())
        self.env["fs.planned.work.notice"]._notify(self)

    def action_confirm(self):
        open_objections = self.notice_ids.filtered(
            lambda n: n.response == "objected" and not (n.answer or "").strip()
        )
        if open_objections:
            raise UserError(
                self.env._(
                    "Answer the customers' objections first (%s): they read your "
                    "answer in the portal.",
                    ", ".join(open_objections.partner_id.mapped("display_name")),
                )
            )
        self._move("confirmed", ("notified",))

    def action_start(self):
        self._move("in_progress", ("notified", "confirmed"))

    def action_done(self):
        self._check_state(("in_progress",))
        unverified = self.notice_ids.filtered(lambda n: n.verification == "pending")
        if unverified:
            raise UserError(
                self.env._(
                    "Service is not yet verified for %s: the customer confirms it "
                    "in the portal, or mark it verified by a test.",
                    ", ".join(unverified.partner_id.mapped("display_name")),
                )
            )
        self._move("done", ("in_progress",))

    def action_rollback(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Roll back"),
            "res_model": "fs.planned.work.rollback",
            "view_mode": "form",
            "target": "new",
            "context": {"default_planned_work_id": self.id},
        }

    def _rollback(self, note):
        if not (note or "").strip():
            raise UserError(self.env._("Say why the planned work was rolled back."))
        self._move("rolled_back", ("in_progress",), rollback_note=note.strip())

    def action_cancel(self):
        started = self.filtered(
            lambda w: w.ticket_ids or w.date_start <= fields.Datetime.now()
        )
        if started.filtered(lambda w: w.state != "draft"):
            raise UserError(
                self.env._(
                    "%s has begun: finish it as done or roll it back.",
                    ", ".join(started.mapped("display_name")),
                )
            )
        told = self.filtered(lambda w: w.state in ("notified", "confirmed"))
        self._move("cancelled", ("draft", "notified", "confirmed"))
        self.env["fs.planned.work.notice"]._notify_cancelled(told)

    def action_draft(self):
        begun = self.filtered(lambda w: w.ticket_ids)
        if begun:
            raise UserError(
                self.env._(
                    "%s has tickets in its window: finish it as done or roll it back.",
                    ", ".join(begun.mapped("display_name")),
                )
            )
        self._move("draft", ("notified", "confirmed", "cancelled"))

    def action_add_lines(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Add affected lines"),
            "res_model": "fs.planned.work.add.lines",
            "view_mode": "form",
            "target": "new",
            "context": {"default_planned_work_id": self.id},
        }

    def action_view_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_mgmt.helpdesk_ticket_action"
        )
        action["domain"] = [("planned_work_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    # ------------------------------------------------------------------
    # the window's end
    # ------------------------------------------------------------------
    @api.model
    def _cron_settle_windows(self, now=None):
        """Settle the announced windows that have ended: each alone (one
        failing is logged and left for the next run, the others go on)."""
        now = now or fields.Datetime.now()
        works = self.sudo().search(
            [
                ("state", "in", ANNOUNCED),
                ("window_settled", "=", False),
                ("date_end", "<=", now),
            ],
            order="date_end",
        )
        for work in works:
            try:
                with self.env.cr.savepoint():
                    self.env["helpdesk.ticket"]._fs_settle_planned(work)
                    work.window_settled = True
            except Exception:
                _logger.exception(
                    "Planned work %s: settling its window failed", work.id
                )
        return len(works)

    def _demo_notify(self):
        """The demo's planned works are notified once (the demo's data is
        loaded again at each upgrade)."""
        self.filtered(lambda w: w.state == "draft").action_notify()
