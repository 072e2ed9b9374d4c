"""The alarm endpoint over real HTTP with the source's API key: what it
accepts, what it refuses (and that a refusal changes nothing), and that a
delivery made twice counts once."""

import json
from unittest.mock import patch

from odoo.tests import Form, new_test_user, tagged

from .alarm_common import AlarmCase, M, iso


@tagged("post_install", "-at_install")
class TestAlarmIntake(AlarmCase):
    def test_an_alarm_on_a_circuit_opens_its_ticket_on_the_monitoring_channel(self):
        raised = self.now() - 20 * M
        line = self.lines[0]
        body = self.send(
            self.raise_("A-1", raised, line, severity="critical", text="LOS on port")
        )
        self.assertEqual(body["accepted"], 1)
        self.assertEqual(body["outcomes"], [{"alarm_id": "A-1", "outcome": "new"}])
        alarm = self.alarm("A-1")
        self.assertEqual(
            (alarm.state, alarm.match_state, alarm.count, alarm.raised_at),
            ("active", "matched", 1, raised),
        )
        self.assertEqual(alarm.payload["text"], "LOS on port")
        ticket = self.tickets_of(line)
        self.assertEqual(len(ticket), 1)
        self.assertEqual(alarm.ticket_ids, ticket)
        self.assertEqual(
            ticket.channel_id,
            self.env.ref("field_service_sla.helpdesk_ticket_channel_monitoring"),
        )
        # the restore clock and the preliminary diagnosis run from the alarm
        self.assertEqual(ticket.reported_date, raised)
        self.assertEqual(ticket.partner_id, self.customer)
        diagnosis = ticket.sla_clock_ids.filtered(lambda c: c.kind == "diagnosis")
        self.assertTrue(diagnosis, "the shipped policy has a diagnosis milestone")
        self.assertEqual(diagnosis.start_date, raised)
        self.assertEqual(diagnosis.deadline, raised + 15 * M)
        self.assertEqual((ticket.fs_alarm_count, ticket.fs_alarm_active_count), (1, 1))
        self.assertEqual(ticket.fs_alarm_element, "CABLE-AL-9")
        # nobody is assigned (helpdesk_mgmt would give it to the caller, the
        # source's integration user): the dispatch decides
        self.assertFalse(ticket.user_id)

    def test_the_chatter_reads_in_the_operators_time_zone(self):
        self.company.fs_tz = "Asia/Shanghai"
        raised = self.now().replace(second=0) - 20 * M
        self.send(self.raise_("TZ-1", raised, self.lines[3]))
        ticket = self.tickets_of(self.lines[3])
        local = (raised + 8 * 60 * M).strftime("%Y-%m-%d %H:%M")
        self.assertIn(local, ticket.message_ids[0].body)

    def test_a_broken_size_setting_falls_back_to_the_default(self):
        self.env["ir.config_parameter"].set_param(
            "field_service_sla.alarm_max_bytes", "five megabytes"
        )
        self.send(self.raise_("BS-1", self.now() - 5 * M, self.lines[2]))
        self.assertTrue(self.alarm("BS-1"))

    def test_a_time_without_offset_is_the_sources_zone(self):
        raised = self.now() - 20 * M
        local = (raised + 8 * 60 * M).isoformat()  # the source says Asia/Shanghai
        self.send({"alarm_id": "Z-1", "raised_at": local, "circuit_ref": "al-test-1"})
        self.assertEqual(self.alarm("Z-1").raised_at, raised)

    def test_a_redelivery_is_the_same_alarm_and_a_later_sighting_counts(self):
        raised = self.now() - 20 * M
        item = self.raise_("A-2", raised, self.lines[1])
        self.send(item)
        body = self.send(item, item)
        self.assertEqual([o["outcome"] for o in body["outcomes"]], ["same", "same"])
        alarm = self.alarm("A-2")
        self.assertEqual(alarm.count, 1)
        self.send({**item, "last_seen": iso(raised + 5 * M)})
        self.assertEqual((alarm.count, alarm.last_seen), (2, raised + 5 * M))
        self.assertEqual(len(self.tickets_of(self.lines[1])), 1)
        self.assertEqual(
            self.env["fs.alarm"].search_count([("source_id", "=", self.source.id)]), 1
        )

    def test_many_alarms_in_one_request(self):
        raised = self.now() - 20 * M
        items = [
            self.raise_(f"B-{i}", raised + i * M, line)
            for i, line in enumerate(self.lines)
        ]
        body = self.send(*items)
        self.assertEqual(body["accepted"], 6)
        self.assertEqual(body["tickets"], 6)
        for line in self.lines:
            self.assertEqual(len(self.tickets_of(line)), 1)

    def test_an_alarm_on_an_element_and_port_reaches_the_mapped_line(self):
        raised = self.now() - 20 * M
        self.send(
            {
                "alarm_id": "P-1",
                "raised_at": iso(raised),
                "element": "olt-al-7",
                "port": "1/1/2",
            }
        )
        self.assertEqual(self.alarm("P-1").service_line_ids, self.lines[2])
        self.assertEqual(len(self.tickets_of(self.lines[2])), 1)

    def test_an_alarm_matching_nothing_waits_in_the_unmatched_queue(self):
        self.send(self.raise_("U-1", self.now() - 5 * M, circuit_ref="NOWHERE-1"))
        alarm = self.alarm("U-1")
        self.assertEqual((alarm.match_state, alarm.ticket_ids.ids), ("unmatched", []))

    # ------------------------------------------------------------------
    # bad input: a clear error, and nothing changes
    # ------------------------------------------------------------------
    def assertNothingWritten(self):
        self.assertFalse(
            self.env["fs.alarm"].search([("source_id", "=", self.source.id)])
        )
        self.assertFalse(
            self.env["helpdesk.ticket"].search(
                [("service_line_id", "in", self.lines.ids)]
            )
        )

    def test_malformed_json_is_400(self):
        response = self.post(None, raw="{not json")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["error"], "malformed_json")
        self.assertNothingWritten()

    def test_a_wrong_type_is_400_naming_the_item_and_field(self):
        good = self.raise_("C-1", self.now() - 5 * M, self.lines[0])
        bad = self.raise_("C-2", self.now() - 5 * M, self.lines[1], raised_at=17)
        response = self.post({"alarms": [good, bad]})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.json(),
            {
                "error": "not_a_time",
                "field": "raised_at",
                "index": 1,
                "message": response.json()["message"],
            },
        )
        self.assertNothingWritten()

    def test_a_raise_in_the_future_or_before_its_line_is_refused(self):
        future = self.raise_("F-1", self.now() + 6 * M, self.lines[0])
        response = self.post({"alarms": [future]})
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["error"], "in_future")
        ancient = self.raise_("F-2", self.now() - 40 * 24 * 60 * M, self.lines[0])
        response = self.post({"alarms": [ancient]})
        self.assertEqual(response.status_code, 422)
        self.assertEqual(
            (response.json()["error"], response.json()["field"]),
            ("before_line", "raised_at"),
        )
        self.assertNothingWritten()

    def test_an_unknown_or_revoked_key_is_401(self):
        item = self.raise_("K-1", self.now() - 5 * M, self.lines[0])
        self.assertEqual(self.post({"alarms": [item]}, key="0" * 40).status_code, 401)
        response = self.url_open(
            "/fs/api/alarms",
            data=json.dumps({"alarms": [item]}),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 401)
        self.source.action_revoke_api_keys()
        self.assertEqual(self.post({"alarms": [item]}).status_code, 401)
        self.assertNothingWritten()

    def test_an_archived_source_cannot_send(self):
        self.source.active = False
        item = self.raise_("K-2", self.now() - 5 * M, self.lines[0])
        self.assertEqual(self.post({"alarms": [item]}).status_code, 401)
        self.assertNothingWritten()

    def test_a_key_of_another_kind_of_user_is_403(self):
        dispatcher = self.env["res.users"].create(
            {
                "name": "Key Dispatcher",
                "login": "key_dispatcher",
                "group_ids": [
                    (6, 0, [self.env.ref("field_service_sla.group_fs_dispatcher").id])
                ],
            }
        )
        key = (
            self.env["res.users.apikeys"]
            .with_user(dispatcher)
            .sudo()
            ._generate("rpc", "x", None)
        )
        item = self.raise_("K-3", self.now() - 5 * M, self.lines[0])
        response = self.post({"alarms": [item]}, key=key)
        self.assertEqual(response.status_code, 403)
        self.assertNothingWritten()

    def test_a_source_naming_another_source_is_403(self):
        other = self.env["fs.alarm.source"].create({"name": "Polling", "code": "POLL"})
        item = self.raise_("K-4", self.now() - 5 * M, self.lines[0], source="POLL")
        response = self.post({"alarms": [item]})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(response.json()["error"], "other_source")
        # its own alarm ids are its own: another source's same id is another alarm
        self.send(self.raise_("SAME-ID", self.now() - 5 * M, self.lines[0]))
        self.send(
            self.raise_("SAME-ID", self.now() - 4 * M, self.lines[0]),
            key=self._key(other),
        )
        self.assertEqual(len(self.alarm("SAME-ID")), 1)
        self.assertEqual(len(self.alarm("SAME-ID", other)), 1)

    def test_a_payload_over_the_limit_is_413(self):
        self.env["ir.config_parameter"].set_param(
            "field_service_sla.alarm_max_bytes", 2000
        )
        items = [
            self.raise_(f"L-{i}", self.now() - 5 * M, self.lines[0], text="x" * 100)
            for i in range(30)
        ]
        response = self.post({"alarms": items})
        self.assertEqual(response.status_code, 413)
        self.assertNothingWritten()

    def test_the_integration_user_can_do_nothing_else(self):
        user = self.source.user_id
        self.assertEqual(
            user.all_group_ids,
            self.env.ref("field_service_sla.group_fs_alarm_source"),
        )
        for model, method in (
            ("res.partner", "search_read"),
            ("fs.alarm", "search_read"),
            ("helpdesk.ticket", "search_read"),
        ):
            response = self.url_open(
                f"/json/2/{model}/{method}",
                data=json.dumps({"domain": [], "fields": ["id"]}),
                headers={
                    "Authorization": f"Bearer {self.key}",
                    "Content-Type": "application/json",
                },
            )
            self.assertIn(response.status_code, (403, 401), (model, response.text))

    # ------------------------------------------------------------------
    # exactly once
    # ------------------------------------------------------------------
    def test_a_request_killed_halfway_leaves_nothing_and_its_redelivery_all(self):
        raised = self.now() - 20 * M
        items = [
            self.raise_(f"H-{i}", raised, line) for i, line in enumerate(self.lines)
        ]
        intake = type(self.env["fs.alarm.intake"])
        with (
            patch.object(intake, "_alarm_tickets", side_effect=RuntimeError("killed")),
            self.assertLogs("odoo.http", "ERROR"),
        ):
            response = self.post({"alarms": items})
        self.assertEqual(response.status_code, 500)
        self.assertNothingWritten()
        self.send(*items)
        self.send(*items)
        for i, line in enumerate(self.lines):
            self.assertEqual(self.alarm(f"H-{i}").count, 1)
            self.assertEqual(len(self.tickets_of(line)), 1)

    def test_queries_do_not_grow_with_the_request(self):
        """New tickets, repeats, joins and clears: a request of 100 costs the
        queries of a request of 10."""
        lines = self._old_lines("AL-Q", 110)
        intake = self.env["fs.alarm.intake"].sudo()
        raised = self.now() - 30 * M

        def cost(items):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            intake._ingest(self.source, {"alarms": items})
            return self.env.cr.sql_log_count - before

        def raises(lines, prefix, seen=0):
            return [
                self.raise_(
                    f"{prefix}{line.id}",
                    raised,
                    line,
                    last_seen=iso(raised + seen * M),
                )
                for line in lines
            ]

        small, large = lines[:10], lines[10:]
        figures = {
            "new": (cost(raises(small, "N")), cost(raises(large, "N"))),
            "same": (cost(raises(small, "N")), cost(raises(large, "N"))),
            "repeat": (cost(raises(small, "N", 2)), cost(raises(large, "N", 2))),
            "join": (cost(raises(small, "J")), cost(raises(large, "J"))),
            "clear": (
                cost([self.clear(f"N{line.id}", raised + 5 * M) for line in small]),
                cost([self.clear(f"N{line.id}", raised + 5 * M) for line in large]),
            ),
        }
        for kind, (ten, hundred) in figures.items():
            self.assertLessEqual(hundred, ten + 3, (kind, figures))

    def test_an_sla_admin_gets_a_key_shown_once_and_a_dispatcher_gets_none(self):
        new_test_user(
            self.env, "key_admin", groups="field_service_sla.group_fs_sla_admin"
        )
        new_test_user(
            self.env, "key_dispatcher_2", groups="field_service_sla.group_fs_dispatcher"
        )
        self.assertRpcRefused(
            "key_dispatcher_2", "fs.alarm.source", "action_new_api_key", self.source.ids
        )
        action = self.call(
            "key_admin", "fs.alarm.source", "action_new_api_key", self.source.ids
        )
        self.assertEqual(action["res_model"], "fs.alarm.source.key")
        admin = self.env["res.users"].search([("login", "=", "key_admin")])
        dialog = Form(
            self.env["fs.alarm.source.key"].with_user(admin).browse(action["res_id"])
        )
        key = dialog.key
        dialog.save()
        self.logout()
        self.send(self.raise_("NK-1", self.now() - 5 * M, self.lines[0]), key=key)
        self.assertEqual(self.source.api_key_count, 2)
        # only the key's own dialog shows it, to an SLA administrator
        self.assertRpcRefused(
            "key_dispatcher_2",
            "fs.alarm.source.key",
            "read",
            [action["res_id"]],
            ["key"],
        )
