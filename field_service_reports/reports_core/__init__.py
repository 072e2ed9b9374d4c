"""The month's-end documents' arithmetic (contractor scoring, and later the
monthly report and documents' logic), free of Odoo: field_service_reports'
own core, beside the SLA core of field_service_sla."""
