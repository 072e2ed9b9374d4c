from odoo import models

from ..sla_core.escalation import (
    CUSTOM,
    bulletin,
    digest_sms,
    group_digests,
    plain_text,
)
from .fs_escalation_actions import SMS


class FsEscalationActions(models.AbstractModel):
    """SMS: a step's bulletin to the numbers of its list, a digest for a
    number told about several tickets."""

    _inherit = "fs.escalation.actions"

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

    def _queue_sms(self, values):
        # one per number and batch (digests): the ORM's create is cheap here
        # and wakes the SMS queue
        if values:
            self.env["sms.sms"].create(values)
