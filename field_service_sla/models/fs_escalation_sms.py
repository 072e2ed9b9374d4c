from collections import namedtuple
from uuid import uuid4

from odoo import models

from ..sla_core.escalation import (
    CUSTOM,
    bulletin,
    digest_sms,
    group_digests,
    plain_text,
)
from ..sla_core.sms_reach import QUEUED
from ..sla_core.sms_segments import segment_count
from .bulk_insert import insert_rows
from .fs_escalation_actions import SMS

#: one SMS of a sweep batch: to ``number``, for the fired steps ``keys``
#: ((ticket id, step id, occurrence)) it tells about
PlannedSms = namedtuple("PlannedSms", "number body company_id keys")


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
            keys = [key for _ticket, (key, _step) in entries]
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
            plan.sms.append(PlannedSms(number, body, entries[0][0].company_id, keys))

    def _queue_sms(self, planned, fired_ids):
        """Queue the ``planned`` SMS (PlannedSms) in a few statements,
        whatever their number: per SMS the sms.sms that Odoo's SMS queue
        sends, the sms.tracker through which its delivery reports come, and
        the fs.escalation.sms that keeps its text and result, linked to the
        fired steps (``fired_ids``: {key: fired row id}) it tells about."""
        if not planned:
            return
        env = self.env
        uuids = [uuid4().hex for _sms in planned]
        segments = {}
        for sms in planned:
            if sms.body not in segments:
                segments[sms.body] = segment_count(sms.body)
        bulletin_ids = insert_rows(
            env["fs.escalation.sms"],
            [
                {
                    "company_id": sms.company_id,
                    "number": sms.number,
                    "body": sms.body,
                    "segments": segments[sms.body],
                    "state": QUEUED,
                    "sms_uuid": uuid,
                }
                for sms, uuid in zip(planned, uuids, strict=True)
            ],
        )
        links = [
            (bulletin_id, fired_ids[key])
            for sms, bulletin_id in zip(planned, bulletin_ids, strict=True)
            for key in dict.fromkeys(sms.keys)
        ]
        env.cr.execute(
            """
            INSERT INTO fs_escalation_sms_fired_rel (sms_id, fired_id)
            SELECT * FROM unnest(%s::int[], %s::int[])
            """,
            ([link[0] for link in links], [link[1] for link in links]),
        )
        insert_rows(
            env["sms.tracker"],
            [
                {"sms_uuid": uuid, "fs_escalation_sms_id": bulletin_id}
                for uuid, bulletin_id in zip(uuids, bulletin_ids, strict=True)
            ],
        )
        insert_rows(
            env["sms.sms"],
            [
                {
                    "uuid": uuid,
                    "number": sms.number,
                    "body": sms.body,
                    "state": "outgoing",
                    "to_delete": False,
                    # the company whose gateway sends it (no mail message
                    # names one)
                    "fs_company_id": sms.company_id,
                }
                for sms, uuid in zip(planned, uuids, strict=True)
            ],
        )
        env["fs.escalation.sms"]._invalidate_reach()
        # what sms.sms's create does, bypassed here: wake the SMS queue
        env.ref("sms.ir_cron_sms_scheduler_action")._trigger()
