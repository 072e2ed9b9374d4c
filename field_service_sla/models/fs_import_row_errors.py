from odoo import api, models


class FsImportRowErrors(models.AbstractModel):
    """One error a row in Odoo's import: a row whose value names no record
    (an unknown element or line) also fails the required field it left
    empty, which says the same thing twice. The import still refuses the
    whole file on any error."""

    _name = "fs.import.row.errors"
    _description = "Import: one error a row"

    @api.model
    def load(self, fields, data):
        result = super().load(fields, data)
        seen, messages = set(), []
        for message in result["messages"]:
            record = message.get("record")
            if message.get("type") == "error" and record is not None:
                if record in seen:
                    continue
                seen.add(record)
            messages.append(message)
        result["messages"] = messages
        return result
