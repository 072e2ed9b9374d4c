from odoo.tests import new_test_user, tagged

from .alarm_common import M, AlarmCase, iso


@tagged("post_install", "-at_install")
class TestAlarmDeskTour(AlarmCase):
    def test_a_dispatcher_links_an_unmatched_alarm_and_restores_at_its_clear(self):
        new_test_user(
            self.env,
            login="tour_alarm_dispatcher",
            groups="field_service_sla.group_fs_dispatcher",
        )
        self.lines[0].circuit_ref = "TOUR-AL-1"
        raised = self.now() - 30 * M
        self.send(
            {"alarm_id": "TOUR-1", "raised_at": iso(raised), "element": "OLT-TOUR"},
            self.clear("TOUR-1", raised + 12 * M),
        )
        self.start_tour(
            "/odoo/action-field_service_sla.fs_alarm_action_unmatched",
            "field_service_sla_alarm_desk_tour",
            login="tour_alarm_dispatcher",
        )
        ticket = self.tickets_of(self.lines[0])
        self.assertEqual(ticket.reported_date, raised)
        self.assertEqual(ticket.restored_date, raised + 12 * M)
        self.assertEqual(self.alarm("TOUR-1").match_state, "matched")
