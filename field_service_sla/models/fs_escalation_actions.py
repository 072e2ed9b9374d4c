from collections import defaultdict

from odoo import api, models

from .bulk_insert import insert_rows
from .fs_escalation_batch import BatchState, StepInfo

ACTIVITY, MAIL, SMS = "activity", "mail", "sms"


class Outcome:
    """What one fired step did, for its history row."""

    __slots__ = ("actions", "activities", "digest", "mails", "sms", "told")

    def __init__(self, actions=()):
        self.actions, self.told = list(actions), []
        self.activities = self.mails = self.sms = 0
        self.digest = False


class Plan:
    """What a batch's fired steps will do, worked out before anything is
    written but the tickets themselves: each step's history (``outcome``, by
    (ticket, step, occurrence)) and the rows to write."""

    def __init__(self, keys):
        self.outcome = {key: Outcome() for key in keys}
        self.activities, self.mails, self.sms, self.notes = [], [], [], []
        self.followers = set()


class FsEscalationActions(models.AbstractModel):
    """Does what the fired steps of a sweep batch say, for the whole batch at
    once: one statement per kind of record (activities, e-mails, notes,
    followers), whatever the number of tickets. A recipient told about
    several tickets in one batch gets one digest per channel, not one message
    per ticket; each ticket's history still names every step.

    In three phases, which fs.escalation.engine runs around the recording of
    the fired steps: ``_change_tickets`` (escalation level, team, title: the
    roles are then those of the new team), ``_plan`` (reads only: who is
    told what, each step's history), ``_do`` (writes the plan). The tickets
    and the people told are read in a few queries for the batch, not through
    each record.

    Each channel plans and writes in an extension of its own:
    fs_escalation_ticket_changes (level, team, title), fs_escalation_chatter
    (followers, notes), fs_escalation_activities, fs_escalation_mail,
    fs_escalation_sms. What they read of the batch is fs_escalation_batch."""

    _name = "fs.escalation.actions"
    _description = "Escalation actions"

    @api.model
    def _for_batch(self):
        """Actions as the sweep does them: as superuser, in the company's
        language, a history text translated once per batch."""
        lang = self.env.company.partner_id.lang or self.env.lang
        return self.sudo().with_context(
            lang=lang, mail_activity_quick_update=True, fs_escalation_texts={}
        )

    def _said(self, key, make):
        """A text of the history, made once per batch: the same words for
        every ticket a step fired on (translating is not free)."""
        texts = self.env.context["fs_escalation_texts"]
        if key not in texts:
            texts[key] = make()
        return texts[key]

    def _fired_steps(self, due):
        """``due``: (ticket id, step id, occurrence). Returns (key, ticket id,
        StepInfo, occurrence): each step read once (steps are few, the
        tickets they fire on many)."""
        steps = self.env["fs.escalation.step"].browse({row[1] for row in due})
        info = {step.id: StepInfo(self.env, step) for step in steps}
        return [((tid, sid, occ), tid, info[sid], occ) for tid, sid, occ in due]

    # ------------------------------------------------------------------
    # phase 1: the tickets themselves
    # ------------------------------------------------------------------
    def _change_tickets(self, fired):
        """Escalate, move and retitle the tickets, then read them (the roles
        are then those of a moved ticket's new team). Returns ({key: [history
        texts]}, BatchState). Written before the steps are recorded: these
        writes change the ticket rows, so a transaction that recorded the
        same steps meanwhile makes this one fail rather than do them twice
        (REPEATABLE READ)."""
        said = defaultdict(list)
        self._raise(fired, said)
        batch = BatchState(self.env, [row[1] for row in fired])
        self._tag_titles(fired, said, batch)
        return said, batch

    # ------------------------------------------------------------------
    # phase 2: who is told what
    # ------------------------------------------------------------------
    def _plan(self, fired, said, batch, now):
        """The plan of ``fired`` (after ``_change_tickets``): reads only, so
        it can be made again for fewer steps."""
        plan = Plan(row[0] for row in fired)
        for key, texts in said.items():
            if key in plan.outcome:
                plan.outcome[key].actions += texts
        self._plan_followers(fired, plan, batch)
        self._plan_activities(fired, plan, batch, now)
        self._plan_mails(fired, plan, batch)
        self._plan_sms(fired, plan, batch, now)
        self._plan_notes(fired, plan, batch, now)
        return plan

    # ------------------------------------------------------------------
    # phase 3: writing the plan
    # ------------------------------------------------------------------
    def _do(self, plan, fired_ids):
        """Write ``plan``; ``fired_ids``: {key: id} of the fired rows recorded
        (what an SMS's delivery is linked to)."""
        self._activities(plan.activities)
        self._queue_mails(plan.mails)
        self._queue_sms(plan.sms, fired_ids)
        self._notes(plan.notes)
        self._subscribe(plan.followers)

    def _stamp(self):
        return self.env.uid, self.env.cr.now()

    def _insert(self, model, values_list):
        """Insert complete rows of ``model`` in one statement (one array per
        column): mail.activity and mail.message rows of a batch, which the
        ORM would create one by one in Python (sanitising, computing,
        subscribing) for most of a sweep's time. Returns the new ids."""
        return insert_rows(self.env[model], values_list)
