from odoo import fields, models


class FsAlarmSourceKey(models.TransientModel):
    """Shows a new API key once: it is stored hashed and cannot be read again."""

    _name = "fs.alarm.source.key"
    _description = "New API key of an alarm source"

    source_id = fields.Many2one("fs.alarm.source", required=True, readonly=True)
    key = fields.Char(readonly=True)
