from odoo import api, fields, models


class FsServiceLine(models.Model):
    _name = "fs.service.line"
    _description = "Customer Service Line (circuit)"
    _inherit = ["mail.thread"]
    _order = "partner_id, circuit_ref"
    _rec_names_search = ["circuit_ref", "service_type_id.name", "partner_id"]
    _check_company_auto = True

    # Built in the reader's language (the service type is translated): a
    # stored name would keep the language of whoever saved the line.
    name = fields.Char(compute="_compute_name")
    circuit_ref = fields.Char(
        string="Circuit ID", required=True, tracking=True, index=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain="[('is_company', '=', True)]",
    )
    location_id = fields.Many2one("fsm.location", check_company=True, tracking=True)
    service_type_id = fields.Many2one(
        "fs.service.type", string="Service type", required=True, tracking=True
    )
    assurance_level_id = fields.Many2one(
        "fs.assurance.level", string="Assurance level", required=True, tracking=True
    )
    bandwidth = fields.Char(help="e.g. 100M, 1G, 2M E1")
    cross_city = fields.Boolean(string="Cross-city", tracking=True)
    cross_province = fields.Boolean(string="Cross-province", tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda s: s.env.company
    )
    active = fields.Boolean(default=True)
    ticket_ids = fields.One2many("helpdesk.ticket", "service_line_id", string="Tickets")

    _circuit_company_uniq = models.Constraint(
        "UNIQUE(company_id, circuit_ref)",
        "This circuit ID is already used by another service line of this company.",
    )

    @api.depends("circuit_ref", "service_type_id.name")
    @api.depends_context("lang")
    def _compute_name(self):
        for line in self:
            line.name = " ".join(
                p for p in (line.circuit_ref, line.service_type_id.name) if p
            )

    @api.depends("name")
    @api.depends_context("lang")
    def _compute_display_name(self):
        for line in self:
            line.display_name = line.name
