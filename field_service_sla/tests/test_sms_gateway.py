"""The company's own SMS gateway (issue 17), through Odoo's SMS queue,
against the SMSC simulator in a process of its own."""

import logging
import time
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import Form, new_test_user, tagged

from .sms_common import PASSWORD, SmsGatewayCase, no_commit

LONG_ZH = (
    "【严重故障通报】客户：某某银行股份有限公司省分行营业部，专线：京沪-MSTP-0001，"
    "故障时间：2026/12/07 08:00，现象：光缆中断，业务全阻，"
    "请相关部门立即处理并反馈进展。"
)


@tagged("post_install", "-at_install")
class TestSmsGateway(SmsGatewayCase):
    def test_every_sms_path_goes_through_the_gateway_and_is_delivered(self):
        """Odoo's own SMS (a composer on a partner) and the queue's SMS leave
        through the SMSC, not IAP; long Chinese texts go as one concatenated
        UCS-2 message each; the receipts mark them delivered."""
        partner = self.env["res.partner"].create(
            {"name": "Li Lei", "phone": "+8613800000001"}
        )
        self.assertEqual(
            self.env.company._get_sms_api_class().__name__, "FsGatewaySmsApi"
        )
        composer = Form(
            self.env["sms.composer"].with_context(
                active_model="res.partner", active_id=partner.id
            )
        )
        composer.body = LONG_ZH
        composer.save().action_send_sms()
        queued = self.queue(20, text=LONG_ZH + "{i}")
        sms = self.env["sms.sms"].search([("state", "=", "outgoing")])
        self.assertEqual(len(sms), 21, "the composer's SMS waits in the queue")
        self.assertTrue(all(s.fs_segments == 2 for s in queued))
        self.run_queue(2)
        self.wait_receipts(sms)
        self.assertEqual(set(sms.exists().mapped("state")), {"sent"})
        texts = self.new_texts()
        self.assertEqual(texts[("8613800000001", LONG_ZH)], 1)
        for record in queued:
            self.assertEqual(texts[(record.number[1:], record.body)], 1)
        rows = self.new_submits()
        self.assertEqual({r["data_coding"] for r in rows}, {8})
        self.assertEqual(len(rows), 42, "two parts each")

    def test_a_gsm_text_goes_in_7_bit(self):
        sms = self.queue(1, text="Line down at {i}")
        self.run_queue()
        self.assertEqual(sms.state, "pending", sms.fs_failure_reason)
        self.assertEqual(sms.fs_encoding, "gsm7")
        self.assertEqual(self.new_submits()[-1]["data_coding"], 0)

    def test_a_bad_number_fails_with_the_gateways_words(self):
        sms = self.queue(1, start=0)
        bad = self.env["sms.sms"].create({"number": "+8613900000000", "body": "x"})
        undelivered = self.env["sms.sms"].create(
            {"number": "+8613900004444", "body": "y"}
        )
        self.run_queue()
        self.assertEqual(bad.state, "error")
        self.assertIn("Invalid Destination Address", bad.fs_failure_reason)
        self.wait_receipts(sms | undelivered)
        self.assertEqual(sms.state, "sent")
        self.assertEqual(undelivered.state, "error")
        self.assertIn("UNDELIV", undelivered.fs_failure_reason)

    def test_a_storm_survives_the_smsc_dying_mid_way(self):
        """Kill -9 the SMSC between two batches and start it again: every
        SMS reaches it once, none twice, none is lost."""
        self.gateway.batch_size = 30
        sms = self.queue(90, text=LONG_ZH + "{i}")
        self.run_queue()
        # the first batch went out: awaiting its receipts, or already
        # delivered when a receipt came back before the session closed
        # (it did once in CI, under load)
        went = sms.filtered(lambda s: s.state in ("pending", "sent"))
        self.assertEqual(went, sms[:30])
        self.smsc.kill()
        self.run_queue()
        waiting = sms.filtered(lambda s: s.state == "fs_retry")
        self.assertEqual(len(waiting), 30, "the batch waits for the gateway")
        self.assertTrue(self.gateway.outage_since)
        self.assertTrue(self.gateway.last_error)
        # the next batch does not knock on a door that was shut a moment ago
        self.run_queue()
        self.assertEqual(len(sms.filtered(lambda s: s.state == "fs_retry")), 60)
        self.smsc.start()
        later = fields.Datetime.now() + timedelta(hours=1)
        with patch.object(fields.Datetime, "now", return_value=later):
            self.run_queue(4)
        self.wait_receipts(sms)
        self.assertEqual(set(sms.mapped("state")), {"sent"})
        texts = self.new_texts()
        for record in sms:
            self.assertEqual(texts[(record.number[1:], record.body)], 1, record.number)
        self.assertFalse(self.gateway.outage_since)
        self.assertIn("answers again", self.gateway.message_ids[0].body)

    def test_an_outage_past_the_retry_time_fails_the_sms_and_tells_the_admins_once(
        self,
    ):
        admins = self.env.ref("field_service_sla.group_fs_sla_admin").all_user_ids
        self.gateway.retry_minutes = 10
        self.smsc.kill()
        self.addCleanup(self.smsc.start)
        sms = self.queue(5)
        self.run_queue()
        self.assertEqual(set(sms.mapped("state")), {"fs_retry"})
        later = fields.Datetime.now() + timedelta(minutes=30)
        with patch.object(fields.Datetime, "now", return_value=later):
            self.run_queue()
            more = self.queue(3, start=100)
            self.run_queue()
        self.assertEqual(set(sms.mapped("state")), {"error"})
        self.assertIn("could not be reached", sms[0].fs_failure_reason)
        activities = self.gateway.activity_ids
        self.assertEqual(len(activities), 1, "one activity per outage, not per SMS")
        self.assertIn(activities.user_id, admins)
        self.assertEqual(set(more.mapped("state")), {"fs_retry"})

    def test_a_user_click_only_wakes_the_queue(self):
        """``send()`` in a user's request leaves the SMS to the queue's cron:
        a slow SMS centre never holds the click."""
        sms = self.queue(1)
        cron = self.env.ref("sms.ir_cron_sms_scheduler_action")
        triggers = self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
        with patch.object(type(self.gateway), "_fs_transport") as transport:
            sms.send()
        transport.assert_not_called()
        self.assertEqual(sms.state, "outgoing")
        self.assertGreater(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]),
            triggers,
        )

    def test_a_cron_run_that_ends_with_sms_left_wakes_the_queue_at_once(self):
        """ir.cron stops a job after ten calls and ten seconds and leaves the
        rest to its threads' next poll, up to a minute later: a run whose
        time is up with SMS still outgoing triggers the queue now (whose
        commit wakes the threads); one with time left, or nothing left,
        does not."""
        self.gateway.batch_size = 5
        self.queue(12)
        cron = self.env.ref("sms.ir_cron_sms_scheduler_action")
        Trigger = self.env["ir.cron.trigger"].sudo()
        Trigger.search([("cron_id", "=", cron.id)]).unlink()
        Sms = self.env["sms.sms"]

        def run(seconds_left):
            with patch.object(type(self.env["ir.cron"]), "_commit_progress", no_commit):
                Sms.with_context(
                    cron_end_time=time.monotonic() + seconds_left
                )._process_queue()
            return Trigger.search(
                [("cron_id", "=", cron.id), ("call_at", "<=", fields.Datetime.now())]
            )

        self.assertFalse(run(600), "time left: the cron's own loop goes on")
        self.assertTrue(run(-1), "time up, 2 SMS left: woken now")
        Trigger.search([("cron_id", "=", cron.id)]).unlink()
        self.assertFalse(run(-1), "nothing left")
        self.assertEqual(len(self.new_submits()), 12)

    def test_the_password_is_never_read_back_nor_logged(self):
        gateway = self.gateway
        self.assertFalse(gateway.smpp_password)
        self.assertTrue(gateway.password_set)
        self.assertEqual(gateway._fs_secrets()[gateway.id]["smpp_password"], PASSWORD)
        self.assertFalse(
            gateway.copy({"name": "Copy"})._fs_secrets().popitem()[1]["smpp_password"]
        )
        self.assertNotIn(PASSWORD, str(gateway.read()[0]))
        self.assertNotIn(PASSWORD, str(gateway.export_data(["smpp_password"])))
        # a save without a new password keeps the old one
        with Form(gateway) as form:
            form.rate = 40
        self.assertEqual(gateway._fs_secrets()[gateway.id]["smpp_password"], PASSWORD)
        sms = self.queue(2)
        root = logging.getLogger()
        level = root.level
        records = []
        handler = logging.Handler()
        handler.emit = records.append
        root.addHandler(handler)
        root.setLevel(logging.DEBUG)
        try:
            self.run_queue()
        finally:
            root.setLevel(level)
            root.removeHandler(handler)
        self.assertEqual(set(sms.mapped("state")), {"pending"})
        logged = "\n".join(r.getMessage() for r in records)
        self.assertNotIn(PASSWORD, logged)
        self.assertNotIn(PASSWORD.encode().hex(), logged)

    def test_the_test_dialog_shows_what_the_gateway_answered(self):
        admin = new_test_user(
            self.env, login="sms_admin2", groups="field_service_sla.group_fs_sla_admin"
        )
        action = self.gateway.with_user(admin).action_test()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(admin)
            .with_context(action["context"])
        )
        wizard.number = "13800138000"
        wizard.text = LONG_ZH
        record = wizard.save()
        self.assertEqual(record.segments, 2)
        record.action_send()
        self.assertTrue(record.ok)
        self.assertIn("ESME_ROK", record.answer)
        bad = self.env["fs.sms.gateway"].create(
            {
                "name": "Wrong password",
                "smpp_host": "127.0.0.1",
                "smpp_port": self.smsc.port,
                "smpp_system_id": "fsodoo",
                "smpp_password": "wrong-pw",
            }
        )
        wizard = Form(
            self.env["fs.sms.gateway.test"].with_context(default_gateway_id=bad.id)
        )
        wizard.number = "13800138000"
        record = wizard.save()
        record.action_send()
        self.assertFalse(record.ok)
        self.assertNotIn("wrong-pw", record.answer)
        self.assertTrue(record.answer)

    def test_receipts_apply_once_in_any_order(self):
        """A receipt before its send is recorded, and a receipt told twice
        changes nothing the second time."""
        from ..gateways import Receipt

        Part = self.env["fs.sms.part"]
        sms = self.queue(1)
        sms.state = "pending"
        Part._fs_apply_receipts(
            self.gateway, [Receipt("M1", "delivered", "stat:DELIVRD")]
        )
        self.assertEqual(sms.state, "pending")
        Part._fs_record_parts(self.gateway, [(sms.uuid, "M1", 1), (sms.uuid, "M2", 2)])
        sms.invalidate_recordset()
        self.assertEqual(sms.state, "pending", "one part still on its way")
        Part._fs_apply_receipts(self.gateway, [Receipt("M2", "delivered", "")])
        sms.invalidate_recordset()
        self.assertEqual(sms.state, "sent")
        self.assertEqual(
            Part._fs_apply_receipts(self.gateway, [Receipt("M2", "failed", "late")]), 0
        )
        sms.invalidate_recordset()
        self.assertEqual(sms.state, "sent")

    def test_a_receipt_for_a_message_nobody_sent_is_logged_and_dropped(self):
        """Kept an hour (its send may still be committing), then logged and
        dropped by the receipts cron; no SMS changes."""
        from ..gateways import Receipt

        sms = self.queue(1)
        sms.state = "pending"
        Part = self.env["fs.sms.part"]
        self.assertEqual(
            Part._fs_apply_receipts(self.gateway, [Receipt("NOBODY", "failed", "x")]),
            0,
        )
        Part._fs_catch_up()
        Receipt_ = self.env["fs.sms.receipt"]
        self.assertEqual(Receipt_.search_count([("message_id", "=", "NOBODY")]), 1)
        self.env.cr.execute(
            "UPDATE fs_sms_receipt SET received_at = received_at - interval '2 hours'"
            " WHERE message_id = 'NOBODY'"
        )
        with self.assertLogs(
            "odoo.addons.field_service_sla.models.fs_sms_part", "WARNING"
        ) as logs:
            Part._fs_catch_up()
        self.assertIn("NOBODY", logs.output[0])
        self.assertEqual(Receipt_.search_count([("message_id", "=", "NOBODY")]), 0)
        self.assertEqual(sms.state, "pending")

    def test_a_throughput_of_zero_is_refused_and_changes_nothing(self):
        # the client's save is its own transaction: rolled back on the error
        with (
            self.assertRaisesRegex(ValidationError, "at least 1"),
            self.env.cr.savepoint(),
            Form(self.gateway) as form,
        ):
            form.rate = 0
            form.retry_minutes = 30
        self.gateway.invalidate_recordset()
        self.assertEqual((self.gateway.rate, self.gateway.retry_minutes), (1000, 60))

    def test_the_next_retry_is_one_wake_up_however_many_batches_wait(self):
        gateway = self.gateway
        right = gateway.smpp_port
        gateway.write({"smpp_port": 9, "smpp_password": PASSWORD, "batch_size": 2})
        self.addCleanup(
            gateway.write,
            {"smpp_port": right, "smpp_password": PASSWORD, "batch_size": 100},
        )
        cron = self.env.ref("sms.ir_cron_sms_scheduler_action")
        Trigger = self.env["ir.cron.trigger"].sudo()
        sms = self.queue(6)
        # as the cron does when it starts: the due wake-ups are spent
        Trigger.search([("cron_id", "=", cron.id)]).unlink()
        self.run_queue(3)
        self.assertEqual(set(sms.mapped("state")), {"fs_retry"})
        wake_ups = Trigger.search(
            [("cron_id", "=", cron.id), ("call_at", ">", fields.Datetime.now())]
        )
        self.assertEqual(len(wake_ups), 1)
        self.assertEqual(wake_ups.call_at, min(sms.mapped("fs_next_try")))

    def test_no_gateway_in_use_is_odoo_iap(self):
        self.gateway.action_stop_using()
        self.assertEqual(self.env.company._get_sms_api_class().__name__, "SmsApi")

    def test_retry_on_failed_sms_puts_them_back_in_the_queue(self):
        sms = self.queue(2)
        sms.write({"state": "error", "failure_type": "sms_server", "fs_attempts": 3})
        action = sms.resend_failed()
        self.assertEqual(action["params"]["type"], "success")
        self.assertEqual(set(sms.mapped("state")), {"outgoing"})
        self.run_queue()
        self.assertEqual(set(sms.mapped("state")), {"pending"})

    def test_pointing_the_gateway_elsewhere_forgets_its_password(self):
        """An SLA administrator cannot collect the SMSC's password by pointing
        the gateway at a host of his own and pressing Test: the password goes
        where it was typed for, or is typed again."""
        gateway = self.gateway
        with Form(gateway) as form:
            form.smpp_host = "203.0.113.7"
        self.assertFalse(gateway._fs_secrets()[gateway.id]["smpp_password"])
        self.assertFalse(gateway.password_set)
        self.assertIn("forgotten", gateway.message_ids[0].body)
        # moved with the password typed again: kept
        with Form(gateway) as form:
            form.smpp_host = "127.0.0.1"
            form.smpp_password = PASSWORD
        self.assertEqual(gateway._fs_secrets()[gateway.id]["smpp_password"], PASSWORD)
        # a change elsewhere keeps it
        gateway.write({"rate": 10, "smpp_host": "127.0.0.1"})
        self.assertEqual(gateway._fs_secrets()[gateway.id]["smpp_password"], PASSWORD)

    def test_a_corrected_port_is_tried_at_once_not_after_the_backoff(self):
        """A gateway down because its port was wrong: the SLA administrator
        corrects it in the form, and the waiting SMS go with the next batch
        instead of at the end of the backoff."""
        gateway = self.gateway
        right = gateway.smpp_port
        with Form(gateway) as form:
            form.smpp_port = 9  # nothing listens on the discard port here
            form.smpp_password = PASSWORD
        sms = self.queue(3)
        self.run_queue()
        self.assertEqual(set(sms.mapped("state")), {"fs_retry"})
        self.assertTrue(gateway.retry_at)
        self.assertGreater(min(sms.mapped("fs_next_try")), fields.Datetime.now())
        # a setting that is not the connection's changes nothing
        with Form(gateway) as form:
            form.name = "省公司短信中心"
        self.assertTrue(gateway.retry_at)
        with Form(gateway) as form:
            form.smpp_port = right
            form.smpp_password = PASSWORD
        self.assertFalse(gateway.retry_at)
        self.assertLessEqual(max(sms.mapped("fs_next_try")), fields.Datetime.now())
        self.run_queue()
        self.assertEqual(set(sms.mapped("state")), {"pending"})
        self.assertFalse(gateway.outage_since)
        self.assertIn("answers again", gateway.message_ids[0].body)
