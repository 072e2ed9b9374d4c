# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Field Service Reports",
    "summary": "Customer-facing documents of the field-service SLA: PDF reports, "
    "portal signing and the monthly customer-response workbook",
    "version": "19.0.1.0.0",
    "license": "AGPL-3",
    "category": "After-Sales",
    "author": "Field Service SLA contributors",
    "website": "https://github.com/field-service-sla/field-service-sla",
    "depends": ["field_service_sla", "report_xlsx", "portal"],
    "data": [
        "security/ir.model.access.csv",
        "report/fs_monthly_report_xlsx.xml",
        "wizards/fs_monthly_report_views.xml",
    ],
    "installable": True,
    "application": False,
}
