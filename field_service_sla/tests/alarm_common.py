"""A monitoring source with its API key, lines behind a cable, and a helper
that posts alarms over real HTTP as the source would."""

import json
from datetime import timedelta

from odoo import fields

from .rpc import RpcCase

M = timedelta(minutes=1)


def iso(moment):
    return moment.isoformat() + "Z"


class AlarmCase(RpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.company = env.company
        # the intake writes in the company's language: the tests read English
        cls.company.partner_id.lang = "en_US"
        cls.internet = env.ref("field_service_sla.service_type_internet_line")
        cls.aaa = env.ref("field_service_sla.level_aaa")
        cls.policy = env.ref("field_service_sla.policy_group_aaa")
        cls.customer = env["res.partner"].create(
            {
                "name": "Alarm Test Water Group",
                "is_company": True,
                "customer_segment": "enterprise",
                "customer_tier_id": env.ref("field_service_sla.tier_gold").id,
            }
        )
        cls.lines = cls._old_lines("AL-TEST", 6)
        Element = env["fs.network.element"]
        cls.cable = Element.create({"name": "cable-al-9", "kind": "cable"})
        cls.olt = Element.create(
            {"name": "OLT-AL-7", "kind": "olt", "upstream_id": cls.cable.id}
        )
        env["fs.network.mapping"].create(
            [
                {
                    "element_id": cls.olt.id,
                    "port": f"1/1/{i}",
                    "service_line_id": line.id,
                }
                for i, line in enumerate(cls.lines[:4])
            ]
        )
        cls.source = env["fs.alarm.source"].create(
            {"name": "Provincial monitoring", "code": "NMS", "tz": "Asia/Shanghai"}
        )
        cls.key = cls._key(cls.source)

    @classmethod
    def _old_lines(cls, prefix, count):
        """``count`` AAA lines of the test customer, made 30 days old: the
        intake refuses an alarm raised before its line existed."""
        lines = cls.env["fs.service.line"].create(
            [
                {
                    "circuit_ref": f"{prefix}-{i}",
                    "partner_id": cls.customer.id,
                    "service_type_id": cls.internet.id,
                    "assurance_level_id": cls.aaa.id,
                }
                for i in range(count)
            ]
        )
        cls.env.flush_all()
        cls.env.cr.execute(
            "UPDATE fs_service_line SET create_date = now() - interval '30 days'"
            " WHERE id = ANY(%s)",
            [lines.ids],
        )
        lines.invalidate_recordset()
        return lines

    @classmethod
    def _key(cls, source):
        return (
            cls.env["res.users.apikeys"]
            .with_user(source.user_id)
            .sudo()
            ._generate("rpc", "test", None)
        )

    def post(self, payload, key=None, raw=None, headers=None):
        data = raw if raw is not None else json.dumps(payload)
        return self.url_open(
            "/fs/api/alarms",
            data=data,
            headers={
                "Authorization": f"Bearer {key or self.key}",
                "Content-Type": "application/json",
                **(headers or {}),
            },
        )

    def send(self, *items, key=None):
        response = self.post({"alarms": list(items)}, key=key)
        self.assertEqual(response.status_code, 200, response.text)
        return response.json()

    def now(self):
        return fields.Datetime.now().replace(microsecond=0)

    def raise_(self, alarm_id, at, line=None, **kw):
        item = {"alarm_id": alarm_id, "raised_at": iso(at), "type": "LOS"}
        if line is not None:
            item["circuit_ref"] = line.circuit_ref
        item.update(kw)
        return item

    def clear(self, alarm_id, at, **kw):
        return {"alarm_id": alarm_id, "state": "cleared", "cleared_at": iso(at), **kw}

    def alarm(self, alarm_id, source=None):
        return self.env["fs.alarm"].search(
            [
                ("source_id", "=", (source or self.source).id),
                ("alarm_ref", "=", alarm_id),
            ]
        )

    def tickets_of(self, line):
        return self.env["helpdesk.ticket"].search([("service_line_id", "=", line.id)])
