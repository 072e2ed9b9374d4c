"""Exactly once: sweeping twice, two workers at the same time, a worker killed
halfway: never a notification twice, never one lost. And the queries of a
batch do not grow with its size."""

import threading
import uuid
from unittest.mock import patch

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.tests import TransactionCase, tagged

from .common import sh
from .escalation_common import EscalationCase


class WorkerKilled(BaseException):
    """The process dying mid-batch: nothing in it runs on (an ordinary
    exception in one ticket's actions is set aside, see
    test_escalation_isolation)."""


@tagged("post_install", "-at_install")
class TestEscalationOnceInTransaction(EscalationCase):
    def _standard_line(self, ref):
        partner = self.env["res.partner"].create(
            {
                "name": f"Customer {ref}",
                "is_company": True,
                "customer_segment": "enterprise",
                "customer_tier_id": self.env.ref("field_service_sla.tier_standard").id,
                "account_manager_id": self.am.id,
            }
        )
        return self.env["fs.service.line"].create(
            {
                "circuit_ref": ref,
                "partner_id": partner.id,
                "service_type_id": self.internet.id,
                "assurance_level_id": self.level_std.id,
            }
        )

    def _busy_ladder(self):
        """A step doing everything a storm of steps does: activity, e-mail,
        SMS, note, followers and title tag, on the first look at a ticket."""
        role = self.env.ref("field_service_sla.escalation_role_team_leader")
        return self.env["fs.escalation.ladder"].create(
            {
                "name": "Everything at once",
                "step_ids": [
                    Command.create(
                        {
                            "name": "Everything",
                            "trigger": "severity",
                            "severity": "general",
                            "activity_role_ids": [Command.set(role.ids)],
                            "activity_type_id": self.env.ref(
                                "field_service_sla.mail_activity_type_escalation"
                            ).id,
                            "mail_template_id": self.env.ref(
                                "field_service_sla.mail_template_escalation_notice"
                            ).id,
                            "mail_role_ids": [Command.set(role.ids)],
                            "sms_list_id": self.bulletin_list.id,
                            "sms_kind": "start",
                            "note": "Everything done.",
                            "title_tag": "auto",
                            "follower_role_ids": [
                                Command.set(
                                    self.env.ref(
                                        "field_service_sla.escalation_role_account_manager"
                                    ).ids
                                )
                            ],
                        }
                    )
                ],
            }
        )

    def _tickets(self, line, count, at):
        with self.at(at):
            return self.env["helpdesk.ticket"].create(
                [
                    {
                        "name": f"Fault {n}",
                        "description": "Down",
                        "team_id": self.team.id,
                        "service_line_id": line.id,
                        "reported_date": at,
                    }
                    for n in range(count)
                ]
            )

    def _footprint(self, tickets):
        return {
            "fired": self.env["fs.escalation.fired"].search_count(
                [("ticket_id", "in", tickets.ids)]
            ),
            "activities": self.env["mail.activity"].search_count(
                [("res_model", "=", "helpdesk.ticket"), ("res_id", "in", tickets.ids)]
            ),
            "notes": self.env["mail.message"].search_count(
                [
                    ("model", "=", "helpdesk.ticket"),
                    ("res_id", "in", tickets.ids),
                    ("body", "ilike", "Everything done"),
                ]
            ),
            "mails": self.env["mail.mail"].search_count([]),
            "sms": len(self.sms()),
        }

    def test_sweeping_twice_sends_nothing_twice(self):
        self._busy_ladder()
        t0 = sh(2026, 3, 2, 9, 0)
        tickets = self._tickets(self._standard_line("TWICE"), 5, t0)
        self.sweep(t0)
        first = self._footprint(tickets)
        self.assertEqual(first["fired"], 5)
        self.assertEqual(first["activities"], 5)
        self.assertEqual(first["notes"], 5)
        self.assertEqual(first["sms"], 3)
        self.sweep(t0)
        self.sweep(sh(2026, 3, 2, 9, 1))
        # even a ticket due again (marked by a change) does not refire
        with self.at(sh(2026, 3, 2, 9, 2)):
            self.engine._mark(tickets.ids)
        self.assertEqual(self.sweep(sh(2026, 3, 2, 9, 2)), 5)
        self.assertEqual(self._footprint(tickets), first)

    def test_a_step_recorded_meanwhile_is_neither_recorded_nor_done_again(self):
        """A transaction whose snapshot predates another's commit does not
        see the steps that one recorded: it finds them due again, and its
        INSERT of them does nothing. It then does nothing for them either,
        and tells the others what a batch without them tells (here: a single
        ticket for the team leader, no digest)."""
        self._busy_ladder()
        t0 = sh(2026, 3, 2, 9, 0)
        line = self._standard_line("MEANWHILE")
        early = self._tickets(line, 1, t0)
        self.sweep(t0)
        before = self._footprint(early)
        mails_to_leader = self.env["mail.mail"].search_count(
            [("recipient_ids", "in", self.leader.partner_id.ids)]
        )
        late = self._tickets(line, 1, sh(2026, 3, 2, 9, 1))
        with self.at(sh(2026, 3, 2, 9, 1)):
            self.engine._mark(early.ids)
        engine_class = type(self.engine)
        read = engine_class._fired

        def fired_as_an_older_snapshot_sees_it(engine, ticket_ids):
            return {t: f for t, f in read(engine, ticket_ids).items() if t != early.id}

        with patch.object(engine_class, "_fired", fired_as_an_older_snapshot_sees_it):
            self.assertEqual(self.sweep(sh(2026, 3, 2, 9, 1)), 2)
        self.assertEqual(self._footprint(early)["fired"], before["fired"])
        self.assertEqual(self._footprint(early)["activities"], 1)
        self.assertEqual(self._footprint(early)["notes"], 1)
        self.assertEqual(len(early.escalation_fired_ids), 1)
        history = late.escalation_fired_ids
        self.assertEqual(len(history), 1)
        self.assertEqual(self._footprint(late)["activities"], 1)
        self.assertFalse(history.digest)
        self.assertEqual(history.sms_count, 3)
        # the late ticket alone: its own bulletin, the template's own e-mail
        self.assertEqual(len(self.sms()), before["sms"] + 3)
        self.assertTrue(self.sms()[0].body.startswith("【新|影响业务|严重故障|"))
        self.assertEqual(
            self.env["mail.mail"].search_count(
                [("recipient_ids", "in", self.leader.partner_id.ids)]
            ),
            mails_to_leader + 2,
        )
        self.assertTrue(
            self.env["mail.mail"].search(
                [("model", "=", "helpdesk.ticket"), ("res_id", "=", late.id)]
            )
        )

    def test_queries_per_batch_do_not_grow_with_the_batch(self):
        self._busy_ladder()
        ladders = self.engine._ladders()
        counted = {}
        for n in (3, 10, 50):  # the first run warms the caches
            at = sh(2026, 3, 2, 9, 0)
            tickets = self._tickets(self._standard_line(f"Q{n}"), n, at)
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            with self.at(at):
                self.engine._process(tickets.ids, at, ladders)
                self.env.flush_all()
            counted[n] = self.env.cr.sql_log_count - before
            self.assertEqual(self._footprint(tickets)["activities"], n)
            self.assertTrue(tickets[0].name.startswith("【集团客户一般故障】"))
        self.assertEqual(counted[10], counted[50], counted)


def _no_tracking_env(cr):
    return api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})


@tagged("post_install", "-at_install")
class TestEscalationOnceCommitted(TransactionCase):
    """Real transactions, committed per batch by the sweep, on cursors of
    their own: the fixture is committed first and removed afterwards. The
    database's other tickets and ladders are parked meanwhile."""

    COUNT = 40

    def setUp(self):
        super().setUp()
        tag = uuid.uuid4().hex[:8]
        with self.registry.cursor() as cr:
            env = _no_tracking_env(cr)
            ladders = env["fs.escalation.ladder"].search([])
            ladders.write({"active": False})
            leader = env["res.users"].create(
                {
                    "name": f"Leader {tag}",
                    "login": f"once_{tag}",
                    "email": f"once_{tag}@example.com",
                }
            )
            team = env["helpdesk.ticket.team"].create(
                {"name": f"Once {tag}", "user_id": leader.id}
            )
            sms_list = env["fs.sms.list"].create(
                {
                    "name": f"Once {tag}",
                    "number_ids": [Command.create({"number": "13600000000"})],
                }
            )
            ladder = env["fs.escalation.ladder"].create(
                {
                    "name": f"Once {tag}",
                    "step_ids": [
                        Command.create(
                            {
                                "trigger": "severity",
                                "severity": "general",
                                "activity_role_ids": [
                                    Command.set(
                                        env.ref(
                                            "field_service_sla.escalation_role_team_leader"
                                        ).ids
                                    )
                                ],
                                "activity_type_id": env.ref(
                                    "field_service_sla.mail_activity_type_escalation"
                                ).id,
                                "sms_list_id": sms_list.id,
                                "sms_kind": "custom",
                                "sms_text": "{summary}",
                                "note": f"Once {tag}",
                            }
                        )
                    ],
                }
            )
            # editing ladders marked every open ticket: park them now
            env.flush_all()
            cr.execute(
                "SELECT ticket_id, next_check FROM fs_escalation_check"
                " WHERE next_check IS NOT NULL"
            )
            parked = cr.fetchall()
            cr.execute("UPDATE fs_escalation_check SET next_check = NULL")
            cr.execute("DELETE FROM fs_escalation_mark RETURNING ticket_id, marked_at")
            marks = cr.fetchall()
            env.invalidate_all()
            tickets = env["helpdesk.ticket"].create(
                [
                    {"name": f"Once {n}", "description": "x", "team_id": team.id}
                    for n in range(self.COUNT)
                ]
            )
            self.ids = {
                "tickets": tickets.ids,
                "ladder": ladder.id,
                "ladders": ladders.ids,
                "team": team.id,
                "list": sms_list.id,
                "leader": leader.id,
                "partner": leader.partner_id.id,
                "parked": parked,
                "marks": marks,
                "tag": tag,
            }
        self.now = fields.Datetime.now()
        self.addCleanup(self._remove_fixture)

    def _remove_fixture(self):
        ids = self.ids
        with self.registry.cursor() as cr:
            env = _no_tracking_env(cr)
            tickets = env["helpdesk.ticket"].browse(ids["tickets"])
            env["mail.activity"].search(
                [("res_model", "=", "helpdesk.ticket"), ("res_id", "in", tickets.ids)]
            ).unlink()
            env["mail.message"].search(
                [("model", "=", "helpdesk.ticket"), ("res_id", "in", tickets.ids)]
            ).unlink()
            env["mail.mail"].search(
                [("recipient_ids", "in", [ids["partner"]])]
            ).unlink()
            env["sms.sms"].search([("number", "=", "+8613600000000")]).unlink()
            env["fs.escalation.sms"].search(
                [("number", "=", "+8613600000000")]
            ).unlink()
            tickets.unlink()
            env["fs.escalation.ladder"].browse(ids["ladder"]).unlink()
            env["fs.sms.list"].browse(ids["list"]).unlink()
            env["helpdesk.ticket.team"].browse(ids["team"]).unlink()
            env["res.users"].browse(ids["leader"]).active = False
            env["fs.escalation.ladder"].browse(ids["ladders"]).write({"active": True})
            if ids["marks"]:
                cr.execute(
                    """
                    INSERT INTO fs_escalation_mark (ticket_id, marked_at)
                    SELECT v.id, v.at
                      FROM unnest(%s::int[], %s::timestamp[]) AS v(id, at)
                      JOIN helpdesk_ticket t ON t.id = v.id
                    """,
                    (
                        [row[0] for row in ids["marks"]],
                        [row[1] for row in ids["marks"]],
                    ),
                )
            if ids["parked"]:
                cr.execute(
                    """
                    UPDATE fs_escalation_check c SET next_check = v.at
                      FROM unnest(%s::int[], %s::timestamp[]) AS v(id, at)
                     WHERE c.ticket_id = v.id
                    """,
                    (
                        [row[0] for row in ids["parked"]],
                        [row[1] for row in ids["parked"]],
                    ),
                )

    def sweep(self, size):
        with self.registry.cursor() as cr:
            return _no_tracking_env(cr)["fs.escalation.engine"]._sweep(
                now=self.now, batch_size=size
            )

    def state(self):
        """Per ticket: (fired rows, activities, notes); SMS sent in all."""
        with self.registry.cursor() as cr:
            ids = self.ids["tickets"]
            cr.execute(
                """
                SELECT t.id,
                       (SELECT count(*) FROM fs_escalation_fired f
                         WHERE f.ticket_id = t.id),
                       (SELECT count(*) FROM mail_activity a
                         WHERE a.res_model = 'helpdesk.ticket' AND a.res_id = t.id),
                       (SELECT count(*) FROM mail_message m
                         WHERE m.model = 'helpdesk.ticket' AND m.res_id = t.id
                           AND m.body::text LIKE %s)
                  FROM helpdesk_ticket t WHERE t.id = ANY(%s)
                """,
                (f"%Once {self.ids['tag']}%", ids),
            )
            per_ticket = {row[0]: row[1:] for row in cr.fetchall()}
            cr.execute("SELECT count(*) FROM sms_sms WHERE number = '+8613600000000'")
            return per_ticket, cr.fetchone()[0]

    def assertEveryTicketToldOnce(self):
        per_ticket, _sms = self.state()
        self.assertEqual(
            set(per_ticket.values()), {(1, 1, 1)}, "fired, activity, note: once each"
        )

    def test_two_workers_at_the_same_time_never_take_the_same_ticket(self):
        engine_class = type(self.env["fs.escalation.engine"])
        original = engine_class._process
        a_holds_a_batch, b_done = threading.Event(), threading.Event()
        done, errors = {}, []

        def process(engine, ticket_ids, now, ladders):
            if threading.current_thread().name == "worker-a" and not (
                a_holds_a_batch.is_set()
            ):
                a_holds_a_batch.set()
                b_done.wait(60)  # B sweeps while A holds its locked batch
            return original(engine, ticket_ids, now, ladders)

        def worker(name, wait_for=None, then=None):
            try:
                if wait_for:
                    wait_for.wait(60)
                done[name] = self.sweep(self.COUNT // 2)
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)
            finally:
                if then:
                    then.set()

        with patch.object(engine_class, "_process", process):
            a = threading.Thread(target=worker, name="worker-a", args=("a",))
            b = threading.Thread(
                target=worker, name="worker-b", args=("b", a_holds_a_batch, b_done)
            )
            a.start()
            b.start()
            a.join(120)
            b.join(120)
        self.assertEqual(errors, [])
        self.assertEqual(done, {"a": self.COUNT // 2, "b": self.COUNT // 2})
        self.assertEveryTicketToldOnce()
        self.assertEqual(self.state()[1], 2, "one digest SMS per worker's batch")
        self.assertEqual(self.sweep(self.COUNT), 0)

    def test_a_worker_killed_halfway_loses_nothing_and_the_rerun_doubles_nothing(
        self,
    ):
        actions_class = type(self.env["fs.escalation.actions"])
        original = actions_class._notes
        batches = []

        def notes(actions, values):
            # the batch's steps are recorded, its activities, e-mails and SMS
            # written: its notes are next
            batches.append(len(values))
            if len(batches) == 2:
                raise WorkerKilled("worker killed in its second batch")
            return original(actions, values)

        with (
            patch.object(actions_class, "_notes", notes),
            self.assertRaisesRegex(WorkerKilled, "killed"),
        ):
            self.sweep(10)
        per_ticket, sms = self.state()
        told = [t for t, counts in per_ticket.items() if counts == (1, 1, 1)]
        untold = [t for t, counts in per_ticket.items() if counts == (0, 0, 0)]
        # the first batch is committed whole, the second rolled back whole
        self.assertEqual((len(told), len(untold), sms), (10, self.COUNT - 10, 1))
        self.assertEqual(self.sweep(10), self.COUNT - 10)
        self.assertEveryTicketToldOnce()
        self.assertEqual(self.state()[1], 1 + 3)

    def test_sweeping_again_finds_nothing_due(self):
        self.assertEqual(self.sweep(15), self.COUNT)
        self.assertEqual(self.sweep(15), 0)
        self.assertEveryTicketToldOnce()
