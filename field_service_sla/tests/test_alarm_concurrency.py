"""Deliveries in real, concurrent transactions (the registry's own cursors,
committed, then cleaned up): sources deliver at least once, often twice at
the same instant; the product counts each alarm once."""

import threading
from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestAlarmConcurrency(TransactionCase):
    LINES = 30

    def setUp(self):
        super().setUp()
        self.tag = f"CC-{id(self)}"
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            partner = env["res.partner"].create(
                {
                    "name": f"Concurrency {self.tag}",
                    "is_company": True,
                    "customer_segment": "enterprise",
                }
            )
            lines = env["fs.service.line"].create(
                [
                    {
                        "circuit_ref": f"{self.tag}-{i}",
                        "partner_id": partner.id,
                        "service_type_id": env.ref(
                            "field_service_sla.service_type_internet_line"
                        ).id,
                        "assurance_level_id": env.ref("field_service_sla.level_aaa").id,
                    }
                    for i in range(self.LINES)
                ]
            )
            env.flush_all()
            cr.execute(
                "UPDATE fs_service_line SET create_date = now() - interval '1 day'"
                " WHERE id = ANY(%s)",
                [lines.ids],
            )
            source = env["fs.alarm.source"].create({"name": self.tag, "code": self.tag})
            self.ids = {
                "partner": partner.id,
                "lines": lines.ids,
                "source": source.id,
                "user": source.user_id.id,
            }
        self.addCleanup(self._clean)

    def _clean(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
            tickets = env["helpdesk.ticket"].search(
                [("service_line_id", "in", self.ids["lines"])]
            )
            env["fs.incident"].search([("ticket_ids", "in", tickets.ids)]).unlink()
            tickets.unlink()
            env["fs.alarm"].search([("source_id", "=", self.ids["source"])]).unlink()
            env["fs.alarm.source"].browse(self.ids["source"]).unlink()
            env["res.users"].browse(self.ids["user"]).unlink()
            env["fs.service.line"].browse(self.ids["lines"]).unlink()
            env["res.partner"].browse(self.ids["partner"]).unlink()

    def _deliver_together(self, payloads):
        """Each payload delivered by its own client, all at the same instant."""
        barrier = threading.Barrier(len(payloads))
        results, errors = [], []

        def deliver(payload):
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, self.ids["user"], {})
                    source = env["fs.alarm.source"].sudo().browse(self.ids["source"])
                    barrier.wait()
                    results.append(
                        env["fs.alarm.intake"]._ingest_in_own_transaction(
                            source, payload
                        )
                    )
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)

        threads = [threading.Thread(target=deliver, args=(p,)) for p in payloads]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        self.assertEqual(errors, [])
        return results

    def _counts(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT count(*), sum(count) FROM fs_alarm WHERE source_id = %s",
                [self.ids["source"]],
            )
            alarms, sightings = cr.fetchone()
            cr.execute(
                "SELECT service_line_id, count(*) FROM helpdesk_ticket"
                " WHERE service_line_id = ANY(%s) GROUP BY service_line_id",
                [self.ids["lines"]],
            )
            tickets = dict(cr.fetchall())
        return alarms, sightings, tickets

    def test_two_clients_sending_the_same_alarms_at_once_make_one_of_each(self):
        raised = fields.Datetime.now() - timedelta(minutes=10)
        payload = {
            "alarms": [
                {
                    "alarm_id": f"A-{i}",
                    "raised_at": raised.isoformat() + "Z",
                    "circuit_ref": f"{self.tag}-{i}",
                }
                for i in range(self.LINES)
            ]
        }
        results = self._deliver_together([payload, payload])
        alarms, sightings, tickets = self._counts()
        self.assertEqual((alarms, sightings), (self.LINES, self.LINES))
        self.assertEqual(len(tickets), self.LINES)
        self.assertEqual(set(tickets.values()), {1})
        outcomes = sorted(
            tuple(sorted({o["outcome"] for o in result["outcomes"]}))
            for result in results
        )
        self.assertEqual(outcomes, [("new",), ("same",)])

    def test_different_alarms_on_the_same_lines_at_once_make_one_ticket_a_line(self):
        raised = fields.Datetime.now() - timedelta(minutes=10)
        payloads = [
            {
                "alarms": [
                    {
                        "alarm_id": f"{client}-{i}",
                        "raised_at": raised.isoformat() + "Z",
                        "circuit_ref": f"{self.tag}-{i}",
                    }
                    for i in range(self.LINES)
                ]
            }
            for client in ("X", "Y")
        ]
        self._deliver_together(payloads)
        alarms, _sightings, tickets = self._counts()
        self.assertEqual(alarms, 2 * self.LINES)
        self.assertEqual(set(tickets.values()), {1})
