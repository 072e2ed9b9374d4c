"""The reports' arithmetic and rules, free of Odoo: the monthly
customer-response figures, the customer documents' rules and signing codes,
and the contractor scoring; field_service_reports' own core, beside the SLA
core of field_service_sla (tested with it in tests/core)."""
