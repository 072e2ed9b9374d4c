from odoo import api, fields, models, tools

KINDS = [("planned_work", "Planned work"), ("assurance", "Assurance period")]


class FsPlannedCalendar(models.Model):
    """The dispatcher's one calendar of cutover windows and special assurance
    periods (a read-only SQL view over both): where a window would fall in a
    customer's important event shows at a glance. Each entry opens its
    planned work or period."""

    _name = "fs.planned.calendar"
    _description = "Planned work and assurance calendar"
    _auto = False
    _order = "date_start"

    kind = fields.Selection(KINDS, readonly=True)
    name = fields.Char(readonly=True)
    date_start = fields.Datetime(string="Start", readonly=True)
    date_end = fields.Datetime(string="End", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    planned_work_id = fields.Many2one("fs.planned.work", readonly=True)
    assurance_period_id = fields.Many2one(
        "fs.assurance.period", string="Assurance period", readonly=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        readonly=True,
        help="The assurance period's customer (a planned work has several).",
    )
    user_id = fields.Many2one("res.users", string="Responsible", readonly=True)
    state = fields.Char(compute="_compute_state")
    emergency = fields.Boolean(readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        # even ids: planned works; odd ids: assurance periods
        self.env.cr.execute(
            f"""
            CREATE VIEW {self._table} AS (
                SELECT w.id * 2 AS id, 'planned_work' AS kind,
                       w.reference || ' ' || w.name AS name,
                       w.date_start, w.date_end, w.company_id,
                       w.id AS planned_work_id, NULL::int AS assurance_period_id,
                       NULL::int AS partner_id, w.user_id,
                       COALESCE(w.emergency, FALSE) AS emergency
                  FROM fs_planned_work w
                 WHERE w.state NOT IN ('cancelled')
                UNION ALL
                SELECT p.id * 2 + 1, 'assurance', p.name,
                       p.date_start, p.date_end, p.company_id,
                       NULL, p.id, p.partner_id, NULL, FALSE
                  FROM fs_assurance_period p
                 WHERE p.state NOT IN ('cancelled')
            )
            """
        )

    @api.model
    def _search(self, domain, *args, **kwargs):
        # a view over both tables: what the ORM still holds goes first
        self.env["fs.planned.work"].flush_model()
        self.env["fs.assurance.period"].flush_model()
        return super()._search(domain, *args, **kwargs)

    @api.depends("kind")
    def _compute_state(self):
        works = self.planned_work_id
        periods = self.assurance_period_id
        work_labels = dict(works._fields["state"]._description_selection(self.env))
        period_labels = dict(periods._fields["state"]._description_selection(self.env))
        for entry in self:
            if entry.planned_work_id:
                entry.state = work_labels.get(entry.planned_work_id.state)
            else:
                entry.state = period_labels.get(entry.assurance_period_id.state)

    def action_open(self):
        self.ensure_one()
        record = self.planned_work_id or self.assurance_period_id
        return {
            "type": "ir.actions.act_window",
            "res_model": record._name,
            "res_id": record.id,
            "view_mode": "form",
            "target": "current",
        }
