from datetime import timedelta

from odoo.tests import tagged

from .test_planned_work import START, PlannedWorkCase


@tagged("post_install", "-at_install")
class TestPlannedWorkNoticeQueries(PlannedWorkCase):
    """Notifying a cutover costs the same queries for 2 customers as for 8
    (bench_planned_work.py: 2,000 lines of 600 customers)."""

    def customer_lines(self, count, tag):
        """``count`` plain customers, a contact with an e-mail and a mobile
        each, and a line each."""
        customers = self.env["res.partner"].create(
            [
                {
                    "name": f"Shop {tag}{n}",
                    "is_company": True,
                    "customer_segment": "enterprise",
                }
                for n in range(count)
            ]
        )
        self.env["res.partner"].create(
            [
                {
                    "name": f"Manager {tag}{n}",
                    "parent_id": customer.id,
                    "email": f"manager{n}@shop-{tag}.example.com",
                    "phone": f"1390000{ord(tag) % 10}{n:03d}",
                }
                for n, customer in enumerate(customers)
            ]
        )
        return self.env["fs.service.line"].create(
            [
                {
                    "circuit_ref": f"Q-{tag}-{n}",
                    "partner_id": customer.id,
                    "service_type_id": self.internet.id,
                    "assurance_level_id": self.aaa.id,
                }
                for n, customer in enumerate(customers)
            ]
        )

    def notify_queries(self, count, tag, day):
        work = self.new_work(
            lines=self.customer_lines(count, tag),
            start=START + timedelta(days=day),
            end=START + timedelta(days=day, hours=4),
        )
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        self.notify(work)
        self.env.flush_all()
        return self.env.cr.sql_log_count - before, work

    def test_notify_queries_do_not_grow_with_the_customers(self):
        self.notify_queries(1, "a", 0)  # warm-up: templates, caches
        few, _work = self.notify_queries(2, "b", 1)
        many, work = self.notify_queries(8, "c", 2)
        self.assertEqual(len(work.notice_ids), 8)
        self.assertEqual(work.notice_ids.mapped("line_count"), [1] * 8)
        self.assertEqual(sum(work.notice_ids.mapped("sms_count")), 8)
        mails = self.env["mail.mail"].search(
            [
                ("model", "=", "fs.planned.work.notice"),
                ("res_id", "in", work.notice_ids.ids),
            ]
        )
        self.assertEqual(len(mails), 8)
        # the reply-to worked out for all of them at once is the one
        # mail.message works out for each
        notice = work.notice_ids[0]
        mail = mails.filtered(lambda m: m.res_id == notice.id)
        self.assertEqual(
            mail.reply_to,
            notice._notify_get_reply_to(default=mail.email_from)[notice.id],
        )
        self.assertEqual(few, many)
