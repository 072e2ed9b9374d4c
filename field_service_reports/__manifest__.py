# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Field Service Reports",
    "summary": "Customer-facing documents of the field-service SLA: PDF reports, "
    "portal signing and the monthly customer-response workbook",
    "version": "19.0.1.2.0",
    "license": "AGPL-3",
    "category": "After-Sales",
    "author": "Field Service SLA contributors",
    "website": "https://github.com/field-service-sla/field-service-sla",
    "depends": [
        "field_service_sla",
        "report_xlsx",
        "portal",
        "fieldservice_portal",
        "sms",
    ],
    "data": [
        "data/ir_module_data.xml",
        "security/ir.model.access.csv",
        "security/portal_rules.xml",
        "security/fs_document_rules.xml",
        "data/ir_sequence_data.xml",
        "data/fs_document_sign_templates.xml",
        "data/fs_customer_tier_data.xml",
        "report/fs_document_report.xml",
        "report/fs_document_layout.xml",
        "report/report_confirmation.xml",
        "report/report_fault_report.xml",
        "report/report_visit_report.xml",
        "report/report_inspection_record.xml",
        "report/report_quality_form.xml",
        "report/report_planned_work.xml",
        "report/report_assurance_summary.xml",
        "views/fs_document_views.xml",
        "views/fsm_order_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/fs_inspection_views.xml",
        "views/fs_visit_views.xml",
        "wizards/fs_document_sign_wizard_views.xml",
        "views/fs_customer_tier_views.xml",
        "views/portal_ticket_templates.xml",
        "views/portal_new_ticket_templates.xml",
        "views/portal_fsm_order_templates.xml",
        "report/fs_monthly_report_xlsx.xml",
        "wizards/fs_monthly_report_views.xml",
        "views/portal_document_templates.xml",
        "views/portal_planned_work_templates.xml",
    ],
    "assets": {
        # fieldservice_portal 19.0.1.0.0 patches portal's pre-19 home-counter
        # widget (@portal/js/portal), gone in 19: the module never loads and
        # every portal page logs an error. Without it the field orders card
        # shows when there are orders, like Odoo's own documents.
        "web.assets_frontend": [
            ("remove", "fieldservice_portal/static/src/js/fsm_order_portal.esm.js"),
            "field_service_reports/static/src/portal/**/*",
        ],
        "web.assets_tests": ["field_service_reports/static/tests/tours/*.js"],
    },
    "installable": True,
    "application": False,
}
