from unittest.mock import patch

from odoo.tests import new_test_user, tagged

from .common import SlaCase


@tagged("post_install", "-at_install")
class TestSlaCreationQueries(SlaCase):
    """What the SLA engine adds to creating tickets is a fixed number of
    queries per create() call, whatever the number of tickets, also for a
    normal user with the chatter on."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dispatcher = new_test_user(
            cls.env,
            login="sla_perf_dispatcher",
            groups="field_service_sla.group_fs_dispatcher",
        )

    def _create_counting(self, count):
        """Create ``count`` tickets as the dispatcher: (tickets, queries run
        by the engine's sync)."""
        Engine = type(self.env["fs.sla.engine"])
        sync, counted = Engine._sync, []

        def counting_sync(engine, *args, **kwargs):
            before = engine.env.cr.sql_log_count
            result = sync(engine, *args, **kwargs)
            counted.append(engine.env.cr.sql_log_count - before)
            return result

        env = self.env(user=self.dispatcher, context={})  # chatter on
        with patch.object(Engine, "_sync", counting_sync):
            tickets = env["helpdesk.ticket"].create(
                [
                    {
                        "name": f"Line down {n}",
                        "description": "Alarm",
                        "team_id": self.team.id,
                        "service_line_id": self.line_aaa.id,
                    }
                    for n in range(count)
                ]
            )
        return tickets, sum(counted)

    def test_engine_queries_do_not_grow_with_the_tickets(self):
        # 3 and 180 clocks: the ORM would insert the latter in two statements
        # and update them after each. The first create reads the policies.
        self._create_counting(1)
        _few, few_queries = self._create_counting(1)
        many, many_queries = self._create_counting(60)
        self.assertEqual(many_queries, few_queries)
        self.assertEqual(len(many.sla_clock_ids), 3 * len(many))

    def test_clocks_created_in_bulk_are_complete(self):
        tickets, _queries = self._create_counting(2)
        clocks = tickets.sla_clock_ids
        self.assertEqual(clocks.ticket_id, tickets)
        self.assertEqual(clocks.company_id, tickets.company_id)
        self.assertEqual(clocks.create_uid, self.dispatcher)
        self.assertEqual(set(clocks.mapped("breach_count")), {0})
        self.assertEqual(set(clocks.mapped("state")), {"running"})
        self.assertEqual(
            set(clocks.mapped("kind")), {"contact", "restored", "resolved"}
        )
        self.assertTrue(all(tickets.mapped("sla_deadline")))
        self.assertEqual(set(tickets.mapped("sla_state")), {"running"})
        # the dispatcher reads them through the record rules
        self.assertEqual(
            self.env(user=self.dispatcher)["fs.sla.clock"].search(
                [("ticket_id", "in", tickets.ids)]
            ),
            clocks,
        )
