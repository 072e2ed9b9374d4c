from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import babel_locale_parse, format_datetime, get_lang, posix_to_ldml

from ..models.fs_sla_clock import hours
from ..models.resource_calendar import ScheduleCache
from ..sla_core import NoWorkingTime, read_clock


class FsSlaSimulate(models.TransientModel):
    """Check a policy before relying on it: every milestone's deadline for a
    ticket created at a given time, with optional pauses."""

    _name = "fs.sla.simulate"
    _description = "Simulate an SLA policy"

    policy_id = fields.Many2one("fs.sla.policy", required=True)
    create_date_sim = fields.Datetime(
        string="Ticket created", required=True, default=fields.Datetime.now
    )
    close_date_sim = fields.Datetime(
        string="Ticket closed", help="Start of the milestones counted from the closing."
    )
    pause_ids = fields.One2many("fs.sla.simulate.pause", "wizard_id", string="Pauses")
    result_html = fields.Html(compute="_compute_result_html", sanitize=False)

    @api.depends(
        "policy_id",
        "create_date_sim",
        "close_date_sim",
        "pause_ids.start_date",
        "pause_ids.end_date",
        "pause_ids.reason_id",
    )
    def _compute_result_html(self):
        kinds = dict(
            self.env["fs.sla.milestone"]
            ._fields["kind"]
            ._description_selection(self.env)
        )
        for wizard in self:
            rows = [
                Markup(
                    '<tr class="%s"><td>%s</td><td>%s</td><td>%s</td><td>%s</td>'
                    "<td>%s</td></tr>"
                )
                % (
                    "text-danger" if r["error"] else "",
                    kinds[r["kind"]],
                    r["calendar"],
                    r["target"],
                    r["deadline"],
                    r["paused"],
                )
                for r in wizard._simulate()
            ]
            head = Markup(
                "<tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>"
            ) % (
                self.env._("Milestone"),
                self.env._("Calendar"),
                self.env._("Target"),
                self.env._("Deadline"),
                self.env._("Paused"),
            )
            wizard.result_html = Markup(
                '<table class="table table-sm o_fs_sla_simulation">'
                "<thead>%s</thead><tbody>%s</tbody></table>"
            ) % (head, Markup("").join(rows))

    def _simulate(self):
        """The deadline of each milestone, as rows of display strings."""
        self.ensure_one()
        self._check_pauses()
        schedules = ScheduleCache(self.env)
        rows = []
        for milestone in self.policy_id.milestone_ids:
            start = (
                self.close_date_sim
                if milestone.start_event == "close"
                else self.create_date_sim
            )
            pauses = [
                (p.start_date, p.end_date)
                for p in self.pause_ids
                if p.start_date
                and (not p.reason_id or p.reason_id in milestone.pause_reason_ids)
            ]
            # read the clock once every given pause is over
            until = max([start or self.create_date_sim] + [e for _s, e in pauses if e])
            reading = error = None
            try:
                reading = (
                    read_clock(
                        schedules.get(milestone.calendar_id.id),
                        start,
                        milestone.target,
                        until,
                        pauses,
                    )
                    if start
                    else None
                )
            except NoWorkingTime:
                error = self.env._(
                    "Configuration error: calendar %s has no working time left, "
                    "so this deadline would never come. Fix the calendar.",
                    milestone.calendar_id.display_name,
                )
            deadline = reading and reading.deadline
            if error:
                deadline_text = error
            elif start and deadline is None:
                deadline_text = self.env._("paused")
            elif deadline:
                deadline_text = self._format_deadline(deadline)
            else:
                deadline_text = self.env._("starts when the ticket is closed")
            rows.append(
                {
                    "kind": milestone.kind,
                    "deadline_utc": deadline,
                    "error": bool(error),
                    "deadline": deadline_text,
                    "calendar": milestone.calendar_id.display_name
                    or self.env._("Around the clock"),
                    "target": _fmt_hours(milestone.target_hours),
                    "paused": _fmt_hours(hours(reading.paused)) if reading else "",
                }
            )
        return rows

    def _check_pauses(self):
        for number, pause in enumerate(self.pause_ids, 1):
            start, end = pause.start_date, pause.end_date
            if start and end and end < start:
                raise UserError(
                    self.env._(
                        "Pause %(number)s ends at %(end)s, before it starts at "
                        "%(start)s: correct its start or its end.",
                        number=number,
                        end=self._format_deadline(end),
                        start=self._format_deadline(start),
                    )
                )

    def _format_deadline(self, value):
        """In the user's language, date format and time zone, as the rest of
        the interface shows times, with the weekday (it decides the working
        time): e.g. 03/09/2026 08:50 (Mon), 2026/03/09 08:50 (周一)."""
        lang = get_lang(self.env)
        locale = babel_locale_parse(lang.code)
        pattern = "{} {} (EEE)".format(
            posix_to_ldml(lang.date_format, locale=locale),
            posix_to_ldml(lang.time_format.replace(":%S", ""), locale=locale),
        )
        return format_datetime(
            self.env,
            value,
            tz=self.env.context.get("tz") or self.env.user.tz,
            dt_format=pattern,
            lang_code=lang.code,
        )


def _fmt_hours(value):
    minutes = round(value * 60)
    return f"{minutes // 60}:{minutes % 60:02d}"


class FsSlaSimulatePause(models.TransientModel):
    _name = "fs.sla.simulate.pause"
    _inherit = ["fs.sla.period.mixin"]
    _description = "Simulated SLA pause"

    wizard_id = fields.Many2one("fs.sla.simulate", required=True, ondelete="cascade")
    reason_id = fields.Many2one(
        "fs.sla.pause.reason", help="Leave empty to pause every milestone."
    )
