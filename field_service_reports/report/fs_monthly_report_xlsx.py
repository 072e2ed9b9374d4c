from odoo import models

from .monthly_sheets import (
    about,
    availability,
    breaches,
    contractors,
    dispatch,
    equipment,
    excluded,
    trend,
    views,
)
from .monthly_sheets.book import MonthlyWorkbook

#: the workbook's sheets in their order, after the chart sheet: each module's
#: ``write(book, source)`` adds its sheets to ``book`` (a MonthlyWorkbook)
#: from the figures of ``source`` (fs.monthly.report.data). A new sheet is a
#: new module of monthly_sheets and its line here.
SHEETS = (
    views,  # by tier, by service type, by team
    dispatch,
    availability,  # per service line, as the customers' operation reports
    breaches,
    excluded,
    equipment,  # and its ranking
    contractors,  # the scores, then a sheet per contractor crew
    trend,  # the on-time rates of the last twelve months, and the chart
    about,
)


class FsMonthlyReportXlsx(models.AbstractModel):
    """The monthly customer-response workbook (客户响应月报), written in
    xlsxwriter's constant-memory mode: a row leaves memory once the next one
    starts, so the detail rows never pile up."""

    _name = "report.field_service_reports.fs_monthly_report_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Monthly customer-response workbook"

    def get_workbook_options(self):
        return {"constant_memory": True}

    def generate_xlsx_report(self, workbook, data, wizards):
        wizard = wizards.ensure_one()
        book = MonthlyWorkbook(self.env, workbook, wizard, wizard._check_request())
        # the workbook opens on the chart; the trend draws it once its
        # figures are written
        book.chart_sheet = workbook.add_chartsheet(self.env._("On-time chart"))
        source = self.env["fs.monthly.report.data"]
        for sheet in SHEETS:
            sheet.write(book, source)
