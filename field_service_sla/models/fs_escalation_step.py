from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_list

from ..sla_core.escalation import StepSpec, step_errors
from ..sla_core.sms_text import (
    CONVERSION,
    FORMAT_SPEC,
    MAX_LENGTH,
    TOO_LONG,
    UNBALANCED,
    UNKNOWN,
    text_problems,
)
from .fs_sla_milestone import MILESTONE_KINDS
from .helpdesk_ticket_severity import SEVERITIES, SEVERITY_RANK

TRIGGERS = [
    ("before_deadline", "Before the deadline"),
    ("at_breach", "At breach"),
    ("after_breach", "After breach"),
    ("after_start", "After the milestone started"),
    ("repeat", "Repeat"),
    ("severity", "Severity reached"),
    ("reached", "Milestone reached"),
    ("closed", "Ticket closed"),
    ("manual", "Escalation requested"),
]
SMS_KINDS = [
    ("start", "Start bulletin"),
    ("progress", "Progress bulletin"),
    ("close", "Closing bulletin"),
    ("custom", "Custom text"),
]
TITLE_TAG_MODES = [
    ("auto", "By severity and green channel"),
    ("fixed", "Fixed text"),
]


class FsEscalationStep(models.Model):
    """One step of a ladder: when it fires (its trigger) and what it does
    (its actions). The escalation core decides when; fs.escalation.actions
    does it."""

    _name = "fs.escalation.step"
    _description = "Escalation step"
    _order = "ladder_id, sequence, id"

    ladder_id = fields.Many2one(
        "fs.escalation.ladder", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="ladder_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(translate=True, help="A short name for the history.")
    # trigger
    trigger = fields.Selection(TRIGGERS, required=True, default="at_breach")
    milestone_kind = fields.Selection(
        MILESTONE_KINDS,
        string="Milestone",
        help="The milestone clock the trigger reads.",
    )
    offset_unit = fields.Selection(
        [("minutes", "Minutes"), ("percent", "% of the target")],
        default="minutes",
        required=True,
    )
    offset = fields.Integer(
        help="Minutes (or percent of the milestone's target) before the "
        "deadline, after the breach or after the milestone's start.",
    )
    repeat_minutes = fields.Integer(
        string="Every (minutes)", help="Repeat steps: the interval."
    )
    max_repeats = fields.Integer(
        string="At most",
        help="Repeat steps: how many times; 0: until the milestone is reached.",
    )
    severity = fields.Selection(SEVERITIES, string="Severity threshold")
    trigger_summary = fields.Char(string="When", compute="_compute_trigger_summary")
    # actions
    activity_role_ids = fields.Many2many(
        "fs.escalation.role",
        "fs_escalation_step_activity_role_rel",
        "step_id",
        "role_id",
        string="Activity for",
    )
    activity_type_id = fields.Many2one("mail.activity.type", string="Activity type")
    activity_summary = fields.Char(translate=True)
    activity_due_hours = fields.Float(
        string="Activity due in",
        help="Hours from the step's firing; the due time is in the summary.",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="E-mail template",
        domain=[("model", "=", "helpdesk.ticket")],
    )
    mail_role_ids = fields.Many2many(
        "fs.escalation.role",
        "fs_escalation_step_mail_role_rel",
        "step_id",
        "role_id",
        string="E-mail to",
    )
    sms_list_id = fields.Many2one("fs.sms.list", string="SMS to")
    sms_kind = fields.Selection(SMS_KINDS, string="SMS", default="start")
    sms_text = fields.Text(
        string="SMS text",
        translate=True,
        help="Custom SMS: {customer}, {summary}, {time} and {duration} are replaced.",
    )
    raise_level = fields.Boolean(string="Escalate to the province")
    target_team_id = fields.Many2one(
        "helpdesk.ticket.team", string="Move to team", ondelete="restrict"
    )
    title_tag = fields.Selection(TITLE_TAG_MODES, string="Title tag")
    title_tag_text = fields.Char(string="Tag text")
    follower_role_ids = fields.Many2many(
        "fs.escalation.role",
        "fs_escalation_step_follower_role_rel",
        "step_id",
        "role_id",
        string="Add as followers",
    )
    note = fields.Text(string="Internal note", translate=True)
    action_summary = fields.Char(string="Does", compute="_compute_action_summary")

    # ------------------------------------------------------------------
    # the step as the core sees it
    # ------------------------------------------------------------------
    def _actions(self):
        self.ensure_one()
        present = {
            "activity": self.activity_role_ids and self.activity_type_id,
            "mail": self.mail_template_id,
            "sms": self.sms_list_id,
            "raise": self.raise_level or self.target_team_id,
            "tag": self.title_tag,
            "followers": self.follower_role_ids,
            "note": self.note,
        }
        return frozenset(name for name, there in present.items() if there)

    def _spec(self):
        self.ensure_one()
        percent = self.offset_unit == "percent"
        return StepSpec(
            self.id,
            self.trigger,
            milestone=self.milestone_kind or None,
            offset_minutes=0 if percent else self.offset,
            offset_percent=float(self.offset) if percent else None,
            repeat_minutes=self.repeat_minutes,
            max_repeats=self.max_repeats,
            severity=SEVERITY_RANK.get(self.severity) if self.severity else None,
            active_since=self.create_date,
            actions=self._actions(),
        )

    # ------------------------------------------------------------------
    # display
    # ------------------------------------------------------------------
    @api.depends(
        "trigger",
        "milestone_kind",
        "offset",
        "offset_unit",
        "repeat_minutes",
        "max_repeats",
        "severity",
    )
    @api.depends_context("lang")
    def _compute_trigger_summary(self):
        kinds = dict(self._fields["milestone_kind"]._description_selection(self.env))
        severities = dict(self._fields["severity"]._description_selection(self.env))
        _ = self.env._
        for step in self:
            milestone = kinds.get(step.milestone_kind, "?")
            amount = (
                _("%s %% of the target", step.offset)
                if step.offset_unit == "percent"
                else _("%s min", step.offset)
            )
            trigger = step.trigger
            if trigger == "before_deadline":
                text = _(
                    "%(amount)s before the %(m)s deadline", amount=amount, m=milestone
                )
            elif trigger == "at_breach":
                text = _("When %s is breached", milestone)
            elif trigger == "after_breach":
                text = _(
                    "%(n)s min after %(m)s is breached", n=step.offset, m=milestone
                )
            elif trigger == "after_start":
                text = _(
                    "%(amount)s into %(m)s, not reached", amount=amount, m=milestone
                )
            elif trigger == "repeat":
                text = (
                    _("Every %(n)s min until %(m)s", n=step.repeat_minutes, m=milestone)
                    if step.milestone_kind
                    else _("Every %s min", step.repeat_minutes)
                )
                if step.max_repeats:
                    text += _(" (at most %s times)", step.max_repeats)
            elif trigger == "severity":
                text = _("Severity reaches %s", severities.get(step.severity, "?"))
            elif trigger == "reached":
                text = _("%s reached", milestone)
            elif trigger == "closed":
                text = _("Ticket closed")
            else:
                text = _("The city requests escalation")
            step.trigger_summary = text

    @api.depends(
        "activity_role_ids",
        "activity_type_id",
        "mail_template_id",
        "sms_list_id",
        "sms_kind",
        "raise_level",
        "target_team_id",
        "title_tag",
        "follower_role_ids",
        "note",
    )
    @api.depends_context("lang")
    def _compute_action_summary(self):
        _ = self.env._
        for step in self:
            parts = []
            if step.activity_role_ids and step.activity_type_id:
                parts.append(
                    _(
                        "Activity for %s",
                        format_list(self.env, step.activity_role_ids.mapped("name")),
                    )
                )
            if step.mail_template_id:
                parts.append(_("E-mail"))
            if step.sms_list_id:
                parts.append(_("SMS to %s", step.sms_list_id.name))
            if step.raise_level:
                parts.append(_("Escalate to the province"))
            if step.target_team_id:
                parts.append(_("Move to %s", step.target_team_id.name))
            if step.title_tag:
                parts.append(_("Title tag"))
            if step.follower_role_ids:
                parts.append(_("Followers"))
            if step.note:
                parts.append(_("Note"))
            step.action_summary = format_list(self.env, parts, style="unit")

    @api.depends("ladder_id.name", "sequence", "name", "trigger_summary")
    def _compute_display_name(self):
        for step in self:
            step.display_name = (
                f"{step.ladder_id.name} / {step.name or step.trigger_summary}"
            )

    # ------------------------------------------------------------------
    # checks
    # ------------------------------------------------------------------
    @api.constrains(
        "trigger",
        "milestone_kind",
        "offset",
        "offset_unit",
        "repeat_minutes",
        "max_repeats",
        "severity",
        "activity_role_ids",
        "activity_type_id",
        "mail_template_id",
        "sms_list_id",
        "raise_level",
        "target_team_id",
        "title_tag",
        "follower_role_ids",
        "note",
        "sms_kind",
        "sms_text",
    )
    def _check_step(self):
        _ = self.env._
        for step in self:
            label = step.display_name
            messages = {
                "no_action": _(
                    "Step %s does nothing: give it at least one action (an "
                    "activity, an e-mail, an SMS, an escalation, a title tag, "
                    "followers or a note).",
                    label,
                ),
                "repeat_zero": _(
                    "Step %s repeats every 0 minutes: give it an interval of at "
                    "least one minute.",
                    label,
                ),
                "cycle": _(
                    "Step %s would re-trigger itself without end: give it the "
                    "milestone whose reach stops it, or a maximum number of "
                    "repetitions.",
                    label,
                ),
                "negative_repeats": _(
                    "Step %s: the number of repetitions cannot be negative.", label
                ),
                "no_milestone": _(
                    "Step %s needs the milestone its trigger reads.", label
                ),
                "no_severity": _("Step %s needs the severity that triggers it.", label),
                "percent_not_allowed": _(
                    "Step %s: a percent of the target only applies before the "
                    "deadline or after the milestone's start; give minutes.",
                    label,
                ),
                "percent_range": _(
                    "Step %s: a percent of the target is between 1 and 100.", label
                ),
                "negative_offset": _("Step %s: the time cannot be negative.", label),
            }
            errors = step_errors(step._spec())
            if errors:
                raise ValidationError("\n".join(messages.get(e, e) for e in errors))
            step._check_actions()

    def _check_actions(self):
        _ = self.env._
        template = self.mail_template_id
        if template and template.model != "helpdesk.ticket":
            raise ValidationError(
                _(
                    "Step %(step)s: e-mail template %(template)s is written for "
                    "%(model)s, not for helpdesk tickets; choose a ticket template.",
                    step=self.display_name,
                    template=template.display_name,
                    model=template.model or "-",
                )
            )
        if template and not self.mail_role_ids:
            raise ValidationError(
                _(
                    "Step %s sends an e-mail: say to whom (E-mail to).",
                    self.display_name,
                )
            )
        if bool(self.activity_role_ids) != bool(self.activity_type_id):
            raise ValidationError(
                _(
                    "Step %s: an activity needs both its type and the roles it is for.",
                    self.display_name,
                )
            )
        if self.sms_list_id and self.sms_kind == "custom" and not self.sms_text:
            raise ValidationError(
                _("Step %s: write the text of its custom SMS.", self.display_name)
            )
        problems = self._sms_text_problems()
        if problems:
            raise ValidationError("\n".join(problems))
        if self.title_tag == "fixed" and not self.title_tag_text:
            raise ValidationError(
                _("Step %s: write the tag it puts in the title.", self.display_name)
            )

    def _sms_text_problems(self, text=None):
        """Why the custom SMS text of this step (``text``: one of its
        translations; by default the one of the environment's language)
        cannot be sent, as sentences in the environment's language; empty
        when it can. The sweep asks again before sending."""
        self.ensure_one()
        text = self.sms_text if text is None else text
        if not (self.sms_list_id and self.sms_kind == "custom" and text):
            return []
        _ = self.env._
        step = self.display_name
        names = "{customer}, {summary}, {time}, {duration}"
        messages = []
        for code, detail in text_problems(text):
            if code == UNBALANCED:
                messages.append(
                    _(
                        "Step %(step)s: the SMS text has a brace without its "
                        "pair. Placeholders are written %(names)s; a brace of "
                        "the text itself is written twice: {{ or }}.",
                        step=step,
                        names=names,
                    )
                )
            elif code == UNKNOWN:
                messages.append(
                    _(
                        "Step %(step)s: the SMS text names {%(name)s}, which is "
                        "not a placeholder. Use %(names)s.",
                        step=step,
                        name=detail,
                        names=names,
                    )
                )
            elif code in (FORMAT_SPEC, CONVERSION):
                messages.append(
                    _(
                        "Step %(step)s: the SMS text formats a placeholder "
                        "({%(placeholder)s}). Write it bare, as {customer}.",
                        step=step,
                        placeholder=detail,
                    )
                )
            elif code == TOO_LONG:
                messages.append(
                    _(
                        "Step %(step)s: the SMS text can reach %(length)s "
                        "characters once filled; a bulletin has at most "
                        "%(limit)s. Shorten it.",
                        step=step,
                        length=detail,
                        limit=MAX_LENGTH,
                    )
                )
        return messages

    def _check_sms_texts(self):
        """The custom SMS text in every installed language: a translation is
        what the sweep sends in that language."""
        langs = [code for code, _name in self.env["res.lang"].get_installed()]
        for step in self.filtered(lambda s: s.sms_list_id and s.sms_kind == "custom"):
            for lang in langs:
                text = step.with_context(lang=lang).sms_text
                problems = step._sms_text_problems(text)
                if problems:
                    raise ValidationError("\n".join(problems))

    def _update_field_translations(
        self, field_name, translations, digest=None, source_lang=""
    ):
        result = super()._update_field_translations(
            field_name, translations, digest=digest, source_lang=source_lang
        )
        if field_name == "sms_text":
            self._check_sms_texts()
        return result

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        steps = super().create(vals_list)
        self.env["fs.escalation.engine"]._recheck_open_tickets()
        return steps

    def write(self, vals):
        result = super().write(vals)
        self.env["fs.escalation.engine"]._recheck_open_tickets()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_unless_fired(self):
        fired = (
            self.env["fs.escalation.fired"]
            .sudo()
            .search_count([("step_id", "in", self.ids)], limit=1)
        )
        if fired:
            raise UserError(
                self.env._(
                    "These steps already fired on tickets, whose escalation "
                    "history names them: archive the ladder instead of deleting "
                    "its steps."
                )
            )
