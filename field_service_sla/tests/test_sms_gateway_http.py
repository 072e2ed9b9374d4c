"""An enterprise SMS platform over HTTP as the company's gateway: sending
through Odoo's SMS queue, the platform's delivery reports at the gateway's
own address, and who may configure it, over JSON-RPC."""

import json
from unittest.mock import patch

from odoo.exceptions import ValidationError
from odoo.tests import Form, new_test_user, tagged

from .rpc import RpcCase
from .sms_common import forget_queued_sms, no_commit, sms_platform

TOKEN = "platform-token-123"


@tagged("post_install", "-at_install")
class TestSmsGatewayHttp(RpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        forget_queued_sms(cls.env)
        cls.admin = new_test_user(
            cls.env,
            login="sms_http_admin",
            groups="field_service_sla.group_fs_sla_admin",
        )
        cls.dispatcher = new_test_user(
            cls.env,
            login="sms_http_dispatcher",
            groups="field_service_sla.group_fs_dispatcher",
        )

    def make_gateway(self, url):
        form = Form(self.env["fs.sms.gateway"].with_user(self.admin))
        form.name = "Enterprise SMS platform"
        form.protocol = "http"
        form.http_url = url
        form.http_auth_value = f"Bearer {TOKEN}"
        form.http_body_template = '{"to": "{number}", "text": "{text}", "ref": "{ref}"}'
        form.http_permanent_values = "E101"
        gateway = form.save()
        gateway.action_use()
        return gateway.sudo()

    def run_queue(self):
        with patch.object(type(self.env["ir.cron"]), "_commit_progress", no_commit):
            self.env["sms.sms"]._process_queue()

    def test_sent_through_the_platform_and_delivered_by_its_report(self):
        with sms_platform(TOKEN) as platform:
            gateway = self.make_gateway(f"http://127.0.0.1:{platform.server_port}/send")
            text = '告警 "光缆中断" {x} & = +\n请处理'
            sms = self.env["sms.sms"].create(
                [
                    {"number": "+8613800000011", "body": text},
                    {"number": "+8613900000000", "body": text},
                ]
            )
            self.run_queue()
        good, bad = sms
        self.assertEqual(good.state, "pending")
        self.assertEqual(platform.received, [("P000001", "+8613800000011", text)])
        self.assertEqual(bad.state, "error")
        self.assertIn("E101", bad.fs_failure_reason)
        url = f"/fs/sms/receipt/{gateway.id}/{gateway.receipt_token}"
        report = json.dumps({"msgid": "P000001", "status": "DELIVRD"})
        headers = {"Content-Type": "application/json"}
        response = self.url_open(url, data=report, headers=headers)
        self.assertEqual(response.status_code, 200)
        good.invalidate_recordset()
        self.assertEqual(good.state, "sent")
        # told twice, or then the contrary: nothing changes
        self.url_open(url, data=report, headers=headers)
        self.url_open(
            url,
            data=json.dumps({"msgid": "P000001", "status": "UNDELIV"}),
            headers=headers,
        )
        good.invalidate_recordset()
        self.assertEqual(good.state, "sent")

    def test_a_wrong_token_or_gateway_is_not_found(self):
        with sms_platform(TOKEN) as platform:
            gateway = self.make_gateway(f"http://127.0.0.1:{platform.server_port}/send")
        body = json.dumps({"msgid": "P000001", "status": "DELIVRD"})
        headers = {"Content-Type": "application/json"}
        for url in (
            f"/fs/sms/receipt/{gateway.id}/wrong-token",
            f"/fs/sms/receipt/{gateway.id + 1000}/{gateway.receipt_token}",
        ):
            self.assertEqual(
                self.url_open(url, data=body, headers=headers).status_code, 404
            )

    def test_bad_credentials_are_an_outage_and_the_secret_stays_hidden(self):
        with sms_platform("another-token") as platform:
            gateway = self.make_gateway(f"http://127.0.0.1:{platform.server_port}/send")
            sms = self.env["sms.sms"].create({"number": "+8613800000012", "body": "x"})
            self.run_queue()
        self.assertEqual(sms.state, "fs_retry")
        self.assertIn("401", gateway.last_error)
        self.assertNotIn(TOKEN, gateway.last_error + (sms.fs_failure_reason or ""))

    def test_a_broken_template_is_refused_on_save(self):
        form = Form(self.env["fs.sms.gateway"].with_user(self.admin))
        form.name = "Broken"
        form.protocol = "http"
        form.http_url = "https://sms.example.cn/send"
        form.http_body_template = '{"to": "{nubmer}", "text": "{text}"}'
        with self.assertRaises(ValidationError):
            form.save()

    def test_only_admins_configure_and_nobody_reads_the_secret(self):
        with sms_platform(TOKEN) as platform:
            gateway = self.make_gateway(f"http://127.0.0.1:{platform.server_port}/send")
        self.assertRpcRefused(
            "sms_http_dispatcher", "fs.sms.gateway", "read", [gateway.id], ["name"]
        )
        self.assertRpcRefused(
            "sms_http_dispatcher", "fs.sms.gateway", "write", [gateway.id], {"rate": 1}
        )
        rows = self.call(
            "sms_http_admin",
            "fs.sms.gateway",
            "read",
            [gateway.id],
            ["http_auth_value", "password_set"],
        )
        self.assertEqual(rows[0]["http_auth_value"], False)
        self.assertTrue(rows[0]["password_set"])
        fields = self.call("sms_http_admin", "fs.sms.gateway", "fields_get")
        self.assertNotIn("http_auth_value_secret", fields)
