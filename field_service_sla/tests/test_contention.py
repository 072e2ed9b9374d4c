"""Rows that concurrent users and the sweeps fought over
(tests/benchmarks/bench_concurrency.py): a transaction leaves alone what it
does not change."""

from odoo import Command
from odoo.tests import tagged

from .common import SlaCase


@tagged("post_install", "-at_install")
class TestCustomerRowLeftAlone(SlaCase):
    def test_posting_on_a_customers_ticket_does_not_rewrite_the_customer(self):
        self.env["ir.config_parameter"].set_param(
            "auth_signup.invitation_scope", "b2c"
        )
        dispatcher = self.env["res.users"].create(
            {
                "name": "Contention Dispatcher",
                "login": "contention_dispatcher",
                "group_ids": [
                    Command.set(
                        [self.env.ref("field_service_sla.group_fs_dispatcher").id]
                    )
                ],
            }
        )
        ticket = self._ticket(self.env.cr.now(), partner_id=self.customer.id)
        self.customer.write({"signup_type": False, "email": "water@example.com"})
        ticket.message_subscribe(self.customer.ids)
        # the first message prepares the customer's portal link: written
        ticket.with_user(dispatcher).message_post(
            body="Technician on the way",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.env.flush_all()
        self.assertEqual(self.customer.signup_type, "signup")
        self.env.cr.execute(
            "UPDATE res_partner SET write_uid = %s WHERE id = %s",
            (self.env.ref("base.user_root").id, self.customer.id),
        )
        self.customer.invalidate_recordset()
        # the next ones find it prepared: the customer's row is not updated
        ticket.with_user(dispatcher).message_post(
            body="Fibre spliced",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.env.flush_all()
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.write_uid, self.env.ref("base.user_root"))
