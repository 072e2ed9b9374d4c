from odoo import models


class BaseImportImport(models.TransientModel):
    _inherit = "base_import.import"

    def execute_import(self, fields, columns, options, dryrun=False):
        """Tell the service-line import which spreadsheet row its first data
        row is (after the header and the rows of earlier batches), so that
        its errors name the rows the user sees."""
        if self.res_model == "fs.service.line":
            first_row = (options.get("skip") or 0) + (
                2 if options.get("has_headers") else 1
            )
            self = self.with_context(fs_import_first_row=first_row)
        return super().execute_import(
            fields, columns, options, dryrun=dryrun
        )
