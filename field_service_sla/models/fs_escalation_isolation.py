import logging
from collections import defaultdict
from datetime import timedelta

import psycopg2
from markupsafe import Markup

from odoo import api, models
from odoo.exceptions import ConcurrencyError

_logger = logging.getLogger(__name__)

# a step that could not fire is tried again this much later (sooner when its
# ladder or step is edited: every open ticket is then looked at again)
RETRY_AFTER = timedelta(minutes=30)
# how many tickets the administrators' activity names
NAMED_TICKETS = 20
# what must end the transaction rather than be set aside: another
# transaction's conflict (its retry is the exactly-once guarantee), a lost
# connection
NOT_ISOLATED = (psycopg2.OperationalError, psycopg2.InterfaceError, ConcurrencyError)


class FsEscalationEngineIsolation(models.AbstractModel):
    """One broken step does not stop the sweep. A step whose configuration
    cannot work (a custom SMS text it cannot fill) is held before the batch
    acts; anything else that fails is narrowed down in savepoints, batch,
    then ticket, then step, and only the failing (ticket, step) pairs are set
    aside. Either way: not recorded (tried again after RETRY_AFTER, at once
    after an edit of the ladder), logged, and one activity per step for the
    SLA administrators on its ladder while that activity is open."""

    _inherit = "fs.escalation.engine"

    @api.model
    def _hold_broken(self, due, failures):
        """``due`` without the steps whose configuration cannot work; those
        go to ``failures`` ({step id: {"reasons": [...], "tickets": set}})."""
        if not due:
            return due
        steps = (
            self.env["fs.escalation.actions"]
            ._for_batch()
            .env["fs.escalation.step"]
            .browse({step_id for _t, step_id, _o in due})
        )
        broken = {step.id: step._sms_text_problems() for step in steps}
        broken = {step_id: reasons for step_id, reasons in broken.items() if reasons}
        if not broken:
            return due
        kept = []
        for entry in due:
            reasons = broken.get(entry[1])
            if reasons is None:
                kept.append(entry)
                continue
            failure = failures.setdefault(entry[1], {"reasons": [], "tickets": set()})
            failure["reasons"] = reasons
            failure["tickets"].add(entry[0])
        return kept

    @api.model
    def _fire_isolated(self, due, failures, fire):
        """``fire(due)`` in a savepoint; when it fails, the same for each
        ticket of ``due``, then for each step of a failing ticket. Returns
        the fired rows of what succeeded; what failed goes to ``failures``."""
        try:
            with self.env.cr.savepoint():
                return fire(due)
        except NOT_ISOLATED:
            raise
        except Exception as error:
            if len(due) == 1:
                ticket_id, step_id, occurrence = due[0]
                _logger.exception(
                    "Escalation step %s could not fire on ticket %s (occurrence "
                    "%s); set aside",
                    step_id,
                    ticket_id,
                    occurrence,
                )
                failure = failures.setdefault(
                    step_id, {"reasons": [], "tickets": set()}
                )
                reason = f"{type(error).__name__}: {error}"
                if reason not in failure["reasons"]:
                    failure["reasons"].append(reason)
                failure["tickets"].add(ticket_id)
                return []
        by_ticket = defaultdict(list)
        for entry in due:
            by_ticket[entry[0]].append(entry)
        groups = list(by_ticket.values()) if len(by_ticket) > 1 else [[e] for e in due]
        rows = []
        for group in groups:
            rows += self._fire_isolated(group, failures, fire)
        return rows

    @api.model
    def _set_aside(self, failures, now):
        """Log and report the steps that could not fire, and look at their
        tickets again later."""
        if not failures:
            return
        lang = self.env.company.partner_id.lang or self.env.lang
        self = self.with_context(lang=lang)
        ticket_ids = sorted(
            {t for failure in failures.values() for t in failure["tickets"]}
        )
        self.env.cr.execute(
            """
            UPDATE fs_escalation_check
               SET next_check = %s
             WHERE ticket_id = ANY(%s)
               AND (next_check IS NULL OR next_check > %s)
            """,
            (now + RETRY_AFTER, ticket_ids, now + RETRY_AFTER),
        )
        self.env["helpdesk.ticket"].browse(ticket_ids).invalidate_recordset(
            ["escalation_next_check"]
        )
        for step_id, failure in failures.items():
            _logger.error(
                "Escalation step %s held on %s tickets: %s",
                step_id,
                len(failure["tickets"]),
                " / ".join(failure["reasons"]),
            )
        self._report_failures(failures)

    @api.model
    def _report_failures(self, failures):
        """One activity per failing step on its ladder for an SLA
        administrator, unless one is open already: not one per ticket, nor
        one per sweep."""
        activity_type = self.env.ref("mail.mail_activity_data_warning")
        admins = (
            self.env.ref("field_service_sla.group_fs_sla_admin").sudo().all_user_ids
        ).filtered(lambda u: u.active and not u.share)
        Ticket = self.env["helpdesk.ticket"].sudo()
        steps = self.env["fs.escalation.step"].sudo().browse(list(failures))
        for step in steps.exists():
            ladder = step.ladder_id.sudo()
            summary = self.env._("Escalation step cannot fire: %s", step.display_name)
            if ladder.activity_ids.filtered(
                lambda a, s=summary: (
                    a.activity_type_id == activity_type and a.summary == s
                )
            ):
                continue
            failure = failures[step.id]
            ids = sorted(failure["tickets"])
            names = ", ".join(Ticket.browse(ids[:NAMED_TICKETS]).mapped("display_name"))
            if len(ids) > NAMED_TICKETS:
                names = self.env._(
                    "%(names)s and %(count)s more",
                    names=names,
                    count=len(ids) - NAMED_TICKETS,
                )
            note = Markup("<p>%s</p><ul>%s</ul><p>%s</p>") % (
                self.env._(
                    "Step %(step)s could not fire on %(count)s tickets; its "
                    "other steps and the other tickets went on:",
                    step=step.display_name,
                    count=len(ids),
                ),
                Markup("").join(Markup("<li>%s</li>") % r for r in failure["reasons"]),
                self.env._(
                    "Tickets waiting for it: %s. Correct the step: they are "
                    "then looked at again at once.",
                    names,
                ),
            )
            user = ladder.write_uid if ladder.write_uid in admins else admins[:1]
            ladder.activity_schedule(
                activity_type_id=activity_type.id,
                summary=summary,
                note=note,
                user_id=user.id or self.env.uid,
            )
