from odoo import api, models


def guard(lines, inspections, field):
    """Refuse adding or removing lines of an inspection whose record is
    signed (changing them: the shown mixin)."""
    lines.env["fs.document"]._fs_guard_source(inspections, {field})


def inspections_of(env, vals_list):
    return env["fs.inspection"].browse(
        {v["inspection_id"] for v in vals_list if v.get("inspection_id")}
    )


class FsInspectionReading(models.Model):
    """The readings of a signed inspection record stay as signed, written
    through the inspection or on their own."""

    _name = "fs.inspection.reading"
    _inherit = ["fs.document.shown.mixin", "fs.inspection.reading"]

    @api.model_create_multi
    def create(self, vals_list):
        guard(self, inspections_of(self.env, vals_list), "reading_ids")
        return super().create(vals_list)

    def unlink(self):
        guard(self, self.inspection_id, "reading_ids")
        return super().unlink()


class FsInspectionItem(models.Model):
    """The checks of a signed inspection record stay as signed."""

    _name = "fs.inspection.item"
    _inherit = ["fs.document.shown.mixin", "fs.inspection.item"]

    @api.model_create_multi
    def create(self, vals_list):
        guard(self, inspections_of(self.env, vals_list), "item_ids")
        return super().create(vals_list)

    def unlink(self):
        guard(self, self.inspection_id, "item_ids")
        return super().unlink()


class FsInspectionFinding(models.Model):
    """The findings of a signed inspection record stay as signed."""

    _name = "fs.inspection.finding"
    _inherit = ["fs.document.shown.mixin", "fs.inspection.finding"]

    @api.model_create_multi
    def create(self, vals_list):
        guard(self, inspections_of(self.env, vals_list), "finding_ids")
        return super().create(vals_list)

    def unlink(self):
        guard(self, self.inspection_id, "finding_ids")
        return super().unlink()
