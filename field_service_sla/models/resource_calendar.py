from datetime import timedelta

from pytz import utc

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..sla_core import AroundTheClock, ChunkedSchedule

# the calendar fields that change which hours are working time
WORKING_TIME_FIELDS = {
    "attendance_ids",
    "attendance_ids_1st_week",
    "attendance_ids_2nd_week",
    "global_leave_ids",
    "leave_ids",
    "tz",
    "two_weeks_calendar",
    "flexible_hours",
    "schedule_type",
}


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    # The shipped office calendar and its days are read by Chinese and English
    # users alike: their names come from the po files, like any data record's.
    name = fields.Char(translate=True)

    def write(self, vals):
        # attendances replaced in one save are judged once, on the result
        result = super(
            ResourceCalendar, self.with_context(fs_sla_calendar_check_later=True)
        ).write(vals)
        if WORKING_TIME_FIELDS & set(vals):
            self._sla_check_still_working()
        return result

    def _sla_check_still_working(self):
        """Refuse an edit that leaves a calendar of an active SLA milestone
        without working time: intake must never stop on it. Then recompute the
        clocks that were in configuration error on these calendars."""
        if not self or self.env.context.get("fs_sla_calendar_check_later"):
            return
        milestones = (
            self.env["fs.sla.milestone"]
            .sudo()
            .search([("calendar_id", "in", self.ids), ("policy_id.active", "=", True)])
        )
        now = fields.Datetime.now()
        for calendar in milestones.calendar_id:
            if not calendar._sla_has_working_time(now):
                policies = milestones.filtered(
                    lambda m, c=calendar: m.calendar_id == c
                ).policy_id
                raise ValidationError(
                    self.env._(
                        "Calendar %(calendar)s would have no working time in the "
                        "coming year, and active SLA policies count on it: "
                        "%(policies)s. Keep some working time, or give those "
                        "policies' milestones another calendar first.",
                        calendar=calendar.display_name,
                        policies=", ".join(policies.mapped("display_name")),
                    )
                )
        broken = (
            self.env["fs.sla.clock"]
            .sudo()
            .search([("calendar_id", "in", self.ids), ("state", "=", "config_error")])
        )
        if broken:
            self.env["fs.sla.engine"]._sync(broken.ticket_id)

    @api.model
    def _sla_calendars_of_leaves(self, leaves):
        """The calendars whose working time these leaves change: a leave of
        no calendar applies to every calendar (of its company)."""
        leaves = leaves.filtered(lambda leave: not leave.resource_id)
        if not leaves:
            return self.browse()
        if all(leaves.mapped("calendar_id")):
            return leaves.calendar_id
        return self.env["fs.sla.milestone"].sudo().search([]).calendar_id

    def _sla_work_intervals(self, start, end):
        """Working intervals of this calendar in ``[start, end)``, public holidays
        removed, as naive UTC pairs: the input the SLA core expects."""
        self.ensure_one()
        intervals = self._work_intervals_batch(utc.localize(start), utc.localize(end))[
            False
        ]
        return [
            (
                a.astimezone(utc).replace(tzinfo=None),
                b.astimezone(utc).replace(tzinfo=None),
            )
            for a, b, _records in intervals
        ]

    def _sla_has_working_time(self, start, days=366):
        self.ensure_one()
        return bool(self._sla_work_intervals(start, start + timedelta(days=days)))


class ResourceCalendarAttendance(models.Model):
    _inherit = "resource.calendar.attendance"

    name = fields.Char(translate=True)

    @api.model_create_multi
    def create(self, vals_list):
        attendances = super().create(vals_list)
        attendances.calendar_id._sla_check_still_working()
        return attendances

    def write(self, vals):
        calendars = self.calendar_id
        result = super().write(vals)
        (calendars | self.calendar_id)._sla_check_still_working()
        return result

    def unlink(self):
        calendars = self.calendar_id
        result = super().unlink()
        calendars.exists()._sla_check_still_working()
        return result


class ResourceCalendarLeaves(models.Model):
    _inherit = "resource.calendar.leaves"

    @api.model_create_multi
    def create(self, vals_list):
        leaves = super().create(vals_list)
        self.env["resource.calendar"]._sla_calendars_of_leaves(
            leaves
        )._sla_check_still_working()
        return leaves

    def write(self, vals):
        result = super().write(vals)
        self.env["resource.calendar"]._sla_calendars_of_leaves(
            self
        )._sla_check_still_working()
        return result


class ScheduleCache:
    """One SLA schedule per calendar for the length of one batch operation, so
    that a thousand clocks on the office calendar cost one interval fetch per
    eight weeks of calendar, not one per clock."""

    def __init__(self, env):
        self._calendars = env["resource.calendar"].sudo()
        self._by_id = {}
        self._always = AroundTheClock()

    def get(self, calendar_id):
        if not calendar_id:
            return self._always
        if calendar_id not in self._by_id:
            calendar = self._calendars.browse(calendar_id)
            self._by_id[calendar_id] = ChunkedSchedule(calendar._sla_work_intervals)
        return self._by_id[calendar_id]
