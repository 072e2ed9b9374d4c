from odoo import api, fields, models


class FsSlaEngine(models.AbstractModel):
    """Pausing and resuming a ticket's clocks, by hand and as its stages
    imply (a pausing stage, closing, reopening)."""

    _inherit = "fs.sla.engine"

    # ------------------------------------------------------------------
    # pauses
    # ------------------------------------------------------------------
    @api.model
    def _pause(self, tickets, reason, note=False):
        """Open a pause of ``reason`` on ``tickets``. Pauses are the engine's
        to write (users only read them): it writes them on behalf of a user
        who may work the tickets (the caller passes tickets in the user's
        environment) or of a process that checked its own access (sudo)."""
        tickets.check_access("write")
        now = fields.Datetime.now()
        self.env["fs.sla.pause"].sudo().create(
            [
                {
                    "ticket_id": t.id,
                    "reason_id": reason.id,
                    "note": note,
                    "start_date": now,
                }
                for t in tickets
            ]
        )
        self._sync(tickets, now)
        body = (
            self.env._(
                "SLA clocks paused: %(reason)s (%(note)s)",
                reason=reason.display_name,
                note=note,
            )
            if note
            else self.env._("SLA clocks paused: %s", reason.display_name)
        )
        tickets._message_log_batch(bodies=dict.fromkeys(tickets.ids, body))

    @api.model
    def _resume(self, tickets):
        """End the pauses opened by hand on ``tickets`` (see _pause)."""
        tickets.check_access("write")
        now = fields.Datetime.now()
        pauses = tickets.sla_pause_ids.filtered(
            lambda p: not p.end_date and p.origin == "manual"
        )
        pauses.sudo().write({"end_date": now})
        self._sync(tickets, now)
        bodies = {}
        for ticket in pauses.ticket_id:
            ended = pauses.filtered(lambda p, t=ticket: p.ticket_id == t)
            bodies[ticket.id] = self.env._(
                "SLA clocks resumed after %(duration)s (%(reason)s).",
                duration=tickets._sla_duration(now - min(ended.mapped("start_date"))),
                reason=", ".join(ended.reason_id.mapped("display_name")),
            )
        tickets.browse(list(bodies))._message_log_batch(bodies=bodies)

    @api.model
    def _follow_stage(self, tickets, was_closed, now):
        """Open and close the pauses that stages imply: a pausing stage pauses
        with its reason; closing pauses every clock; reopening resumes them and
        un-reaches what the closing had reached."""
        if not (
            any(was_closed.values())
            or tickets.sudo().sla_pause_ids
            or tickets.stage_id.filtered(lambda s: s.sla_pause_reason_id or s.closed)
        ):
            return  # no pause to open or end: new tickets, mostly
        Pause = self.env["fs.sla.pause"].sudo()
        closed_reason = self.env.ref("field_service_sla.pause_reason_ticket_closed")
        to_open, to_end, reopened = [], Pause, tickets.browse()
        for ticket in tickets.sudo():
            stage_reason = ticket.stage_id.sla_pause_reason_id
            if not (
                stage_reason
                or ticket.sla_pause_ids
                or ticket.closed
                or was_closed.get(ticket.id)
            ):
                continue  # no pause to open or end for this one
            open_pauses = ticket.sla_pause_ids.filtered(lambda p: not p.end_date)
            stage_pauses = open_pauses.filtered(lambda p: p.origin == "stage")
            to_end |= stage_pauses.filtered(lambda p, r=stage_reason: p.reason_id != r)
            if stage_reason and stage_reason not in stage_pauses.reason_id:
                to_open.append((ticket, stage_reason, "stage"))
            if ticket.closed and not was_closed.get(ticket.id):
                to_open.append((ticket, closed_reason, "closed"))
            elif not ticket.closed and was_closed.get(ticket.id):
                closing = open_pauses.filtered(lambda p: p.origin == "closed")
                to_end |= closing
                reopened |= ticket
                since = min(closing.mapped("start_date"), default=ticket.closed_date)
                ticket.sla_clock_ids.filtered(
                    lambda c, since=since: (
                        c.reached_date
                        and since
                        and c.reached_date >= since
                        and c.milestone_id.reach_type == "stage"
                    )
                ).write({"reached_date": False})
        to_end.write({"end_date": now})
        Pause.create(
            [
                {
                    "ticket_id": t.id,
                    "reason_id": r.id,
                    "origin": o,
                    "start_date": now,
                    "user_id": self.env.uid,
                }
                for t, r, o in to_open
            ]
        )
        resolving = tickets.filtered(
            lambda t: (
                t.closed
                and not was_closed.get(t.id)
                and t.stage_id.sla_resolves
                and not t.resolved_date
            )
        )
        resolving.sudo().with_context(fs_sla_no_sync=True).write({"resolved_date": now})
        reopened.sudo().with_context(fs_sla_no_sync=True).write(
            {"resolved_date": False}
        )
        for ticket in reopened:
            ticket._message_log(
                body=self.env._(
                    "Ticket reopened: its SLA clocks resume where they stopped."
                )
            )
