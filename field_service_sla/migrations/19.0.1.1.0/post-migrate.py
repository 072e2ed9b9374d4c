from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    # Breaches that happened before breaches were kept on record: keep them
    # now, at their deadline, so that no later correction erases them.
    cr.execute(
        """
        UPDATE fs_sla_clock
           SET breached_at = deadline, breach_count = 1
         WHERE state = 'breached' AND breached_at IS NULL AND deadline IS NOT NULL
        """
    )
    # New ticket statuses ("No SLA", "Report due", configuration error): derive
    # every ticket's status again, in the engine's one set-based UPDATE.
    env = api.Environment(cr, SUPERUSER_ID, {})
    cr.execute("SELECT id FROM helpdesk_ticket")
    env["fs.sla.engine"]._refresh_summary([row[0] for row in cr.fetchall()])
