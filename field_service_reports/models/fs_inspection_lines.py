from odoo import api, models

# what the inspection record prints of each kind of line
READING_FIELDS = {
    "name",
    "sequence",
    "unit",
    "has_min",
    "min_value",
    "has_max",
    "max_value",
    "value",
    "measured",
}
ITEM_FIELDS = {"name", "sequence", "group", "result", "note", "fixed_on_site"}
FINDING_FIELDS = {"name", "detail", "fixed_on_site", "fix_note", "ticket_id"}


def guard(lines, inspections, field):
    """Refuse a change of the lines of an inspection whose record is signed."""
    lines.env["fs.document"]._fs_guard_source(inspections, {field})


def inspections_of(env, vals_list):
    return env["fs.inspection"].browse(
        {v["inspection_id"] for v in vals_list if v.get("inspection_id")}
    )


class FsInspectionReading(models.Model):
    """The readings of a signed inspection record stay as signed, written
    through the inspection or on their own."""

    _inherit = "fs.inspection.reading"

    @api.model_create_multi
    def create(self, vals_list):
        guard(self, inspections_of(self.env, vals_list), "reading_ids")
        return super().create(vals_list)

    def write(self, vals):
        if READING_FIELDS & vals.keys():
            guard(self, self.inspection_id, "reading_ids")
        return super().write(vals)

    def unlink(self):
        guard(self, self.inspection_id, "reading_ids")
        return super().unlink()


class FsInspectionItem(models.Model):
    """The checks of a signed inspection record stay as signed."""

    _inherit = "fs.inspection.item"

    @api.model_create_multi
    def create(self, vals_list):
        guard(self, inspections_of(self.env, vals_list), "item_ids")
        return super().create(vals_list)

    def write(self, vals):
        if ITEM_FIELDS & vals.keys():
            guard(self, self.inspection_id, "item_ids")
        return super().write(vals)

    def unlink(self):
        guard(self, self.inspection_id, "item_ids")
        return super().unlink()


class FsInspectionFinding(models.Model):
    """The findings of a signed inspection record stay as signed."""

    _inherit = "fs.inspection.finding"

    @api.model_create_multi
    def create(self, vals_list):
        guard(self, inspections_of(self.env, vals_list), "finding_ids")
        return super().create(vals_list)

    def write(self, vals):
        if FINDING_FIELDS & vals.keys():
            guard(self, self.inspection_id, "finding_ids")
        return super().write(vals)

    def unlink(self):
        guard(self, self.inspection_id, "finding_ids")
        return super().unlink()
