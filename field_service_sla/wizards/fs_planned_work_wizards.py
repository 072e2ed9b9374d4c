from odoo import api, fields, models
from odoo.exceptions import UserError


class FsPlannedWorkAddLines(models.TransientModel):
    """Add a planned work's affected lines by customer (all its lines), by
    network element (every line behind it, downstream elements included) or
    one by one."""

    _name = "fs.planned.work.add.lines"
    _description = "Add lines to a planned work"

    planned_work_id = fields.Many2one("fs.planned.work", required=True)
    company_id = fields.Many2one(related="planned_work_id.company_id")
    mode = fields.Selection(
        [
            ("customer", "Customers' lines"),
            ("element", "Lines behind network elements"),
            ("line", "Chosen lines"),
        ],
        string="Choose by",
        default="customer",
        required=True,
    )
    partner_ids = fields.Many2many(
        "res.partner",
        string="Customers",
        domain="[('is_company', '=', True), ('service_line_ids', '!=', False)]",
    )
    element_ids = fields.Many2many(
        "fs.network.element",
        string="Network elements",
        domain="[('company_id', '=', company_id)]",
    )
    service_line_ids = fields.Many2many(
        "fs.service.line",
        string="Service lines",
        domain="[('company_id', '=', company_id)]",
    )
    expected_minutes = fields.Integer(
        string="Announced interruption (min)",
        default=lambda s: s._default_expected(),
    )

    @api.model
    def _default_expected(self):
        work_id = self.env.context.get("default_planned_work_id")
        return self.env["fs.planned.work"].browse(work_id).expected_minutes or 30

    def _behind(self, elements):
        """The elements and every element downstream of them."""
        Element = self.env["fs.network.element"]
        found, frontier = elements, elements
        while frontier:
            frontier = Element.search([("upstream_id", "in", frontier.ids)]) - found
            found |= frontier
        return found

    def _chosen_lines(self):
        Line = self.env["fs.service.line"]
        company = self.planned_work_id.company_id
        if self.mode == "customer":
            return Line.search(
                [
                    ("partner_id", "in", self.partner_ids.ids),
                    ("company_id", "=", company.id),
                ]
            )
        if self.mode == "element":
            mappings = self.env["fs.network.mapping"].search(
                [("element_id", "in", self._behind(self.element_ids).ids)]
            )
            return mappings.service_line_id.filtered(lambda line: line.active)
        return self.service_line_ids

    def action_add(self):
        self.ensure_one()
        work = self.planned_work_id
        if work.state != "draft":
            raise UserError(
                self.env._(
                    "%s was announced: set it back to draft to change its lines.",
                    work.display_name,
                )
            )
        if self.expected_minutes < 0:
            raise UserError(self.env._("An announced interruption cannot be negative."))
        lines = self._chosen_lines() - work.line_ids.service_line_id
        if not lines and not self._chosen_lines():
            raise UserError(self.env._("No service line matches what you chose."))
        work.write(
            {
                "line_ids": [
                    fields.Command.create(
                        {
                            "service_line_id": line.id,
                            "expected_minutes": self.expected_minutes,
                        }
                    )
                    for line in lines
                ]
            }
        )
        return {"type": "ir.actions.act_window_close"}


class FsPlannedWorkRollback(models.TransientModel):
    _name = "fs.planned.work.rollback"
    _description = "Roll back a planned work"

    planned_work_id = fields.Many2one("fs.planned.work", required=True)
    note = fields.Text(string="Why", required=True)

    def action_rollback(self):
        self.ensure_one()
        self.planned_work_id._rollback(self.note)
        return {"type": "ir.actions.act_window_close"}
