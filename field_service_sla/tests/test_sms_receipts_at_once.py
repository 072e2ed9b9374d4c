"""Receipts read at the very moment their sends commit, in real concurrent
transactions (two connections of their own, committed data): nothing is
lost, nothing fails."""

from contextlib import closing

from odoo import SUPERUSER_ID, api, sql_db
from odoo.tests import TransactionCase, tagged

from ..gateways import Receipt


@tagged("post_install", "-at_install")
class TestReceiptsAtOnce(TransactionCase):
    def cursor(self):
        return closing(sql_db.db_connect(self.env.cr.dbname).cursor())

    @staticmethod
    def env_of(cr):
        return api.Environment(cr, SUPERUSER_ID, {})

    def setUp(self):
        super().setUp()
        with self.cursor() as cr:
            env = self.env_of(cr)
            gateway = env["fs.sms.gateway"].create(
                {
                    "name": "Receipts at once",
                    "protocol": "smpp",
                    "smpp_host": "127.0.0.1",
                    "smpp_port": 9,  # nothing listens: the cron's bind fails
                    "smpp_system_id": "fstest",
                    "smpp_password": "S3cr3t!p",
                }
            )
            sms = env["sms.sms"].create(
                [
                    {"number": f"+8613900000{i:03d}", "body": f"【故障通报】{i}"}
                    for i in range(4)
                ]
            )
            cr.commit()
            self.gateway_id, self.sms_ids = gateway.id, sms.ids
            self.uuids = sms.mapped("uuid")
        self.addCleanup(self.clean)

    def clean(self):
        with self.cursor() as cr:
            cr.execute("DELETE FROM sms_sms WHERE id = ANY(%s)", [self.sms_ids])
            cr.execute("DELETE FROM fs_sms_gateway WHERE id = %s", [self.gateway_id])
            cr.commit()

    def states(self):
        with self.cursor() as cr:
            cr.execute(
                "SELECT uuid, state, fs_failure_reason FROM sms_sms WHERE id = ANY(%s)",
                [self.sms_ids],
            )
            return {uuid: (state, reason) for uuid, state, reason in cr.fetchall()}

    def test_a_receipt_read_while_its_send_commits_is_neither_lost_nor_in_the_way(
        self,
    ):
        """Before, both sides upserted the part's row: a receipts
        transaction that began before the send committed failed with a
        serialization error (losing the receipts it had answered), and a
        send that began before a receipt was kept failed the same way (its
        SMS sent again)."""
        u = self.uuids
        with self.cursor() as sending, self.cursor() as reading:
            send, read = self.env_of(sending), self.env_of(reading)
            send_gateway = send["fs.sms.gateway"].browse(self.gateway_id)
            read_gateway = read["fs.sms.gateway"].browse(self.gateway_id)
            # 1. the receipts' transaction has its snapshot...
            reading.execute("SELECT count(*) FROM fs_sms_part")
            # ... when the send of SMS 0 and 1 commits
            send["sms.sms"].browse(self.sms_ids[:2]).write({"state": "pending"})
            send["fs.sms.part"]._fs_record_parts(
                send_gateway, [(u[0], "A0", 1), (u[1], "A1", 1)]
            )
            sending.commit()
            # their receipts come on the other connection
            read["fs.sms.part"]._fs_apply_receipts(
                read_gateway,
                [
                    Receipt("A0", "delivered", "stat:DELIVRD err:000"),
                    Receipt("A1", "failed", "stat:UNDELIV err:001"),
                ],
            )
            reading.commit()
            # 2. the other way round: the send of SMS 2 and 3 has its
            # snapshot when their receipts (SMSCs are fast) are kept
            sending.execute("SELECT count(*) FROM fs_sms_part")
            read["fs.sms.part"]._fs_apply_receipts(
                read_gateway,
                [
                    Receipt("A2", "delivered", "stat:DELIVRD err:000"),
                    Receipt("A3", "delivered", "stat:DELIVRD err:000"),
                ],
            )
            reading.commit()
            send["sms.sms"].browse(self.sms_ids[2:]).write({"state": "pending"})
            send["fs.sms.part"]._fs_record_parts(
                send_gateway, [(u[2], "A2", 1), (u[3], "A3", 1)]
            )
            sending.commit()
        # neither side could see the other: the receipts cron settles them
        self.assertEqual({s for s, _r in self.states().values()}, {"pending"})
        with self.cursor() as cr:
            self.env_of(cr)["fs.sms.gateway"]._cron_collect_receipts()
            cr.commit()
        states = self.states()
        self.assertEqual(states[u[0]][0], "sent")
        self.assertEqual(states[u[1]], ("error", "stat:UNDELIV err:001"))
        self.assertEqual(states[u[2]][0], "sent")
        self.assertEqual(states[u[3]][0], "sent")
        with self.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM fs_sms_receipt WHERE gateway_id = %s",
                [self.gateway_id],
            )
            self.assertEqual(cr.fetchone()[0], 0, "every receipt folded")
