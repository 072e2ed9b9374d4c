from odoo import api, fields, models


class FsServiceLine(models.Model):
    """A line's area: by default its site's territory, else its customer's
    area; an SLA administrator may set it apart (a line whose crew is not
    the one of its site's area)."""

    _name = "fs.service.line"
    _inherit = ["fs.service.line", "fs.dispatch.guard.mixin"]
    _fs_admin_fields = ("fs_area_id",)

    fs_area_id = fields.Many2one(
        "res.territory",
        string="Area",
        compute="_compute_fs_area_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        tracking=True,
        help="The area (包区) whose covering crew is dispatched to this line's "
        "faults. Defaults to the site's territory, else the customer's area.",
    )

    @api.depends("location_id.territory_id", "partner_id.fs_area_id")
    def _compute_fs_area_id(self):
        for line in self:
            line.fs_area_id = (
                line.location_id.territory_id
                or line.partner_id.commercial_partner_id.fs_area_id
                or line.fs_area_id
            )
