def migrate(cr, version):
    # Tickets without clocks had no SLA status and grouped unlabelled: "No SLA".
    cr.execute(
        """
        UPDATE helpdesk_ticket t
           SET sla_state = 'none'
         WHERE sla_state IS NULL
           AND NOT EXISTS (SELECT 1 FROM fs_sla_clock c WHERE c.ticket_id = t.id)
        """
    )
    # Breaches that happened before breaches were kept on record: keep them
    # now, at their deadline, so that no later correction erases them.
    cr.execute(
        """
        UPDATE fs_sla_clock
           SET breached_at = deadline, breach_count = 1
         WHERE state = 'breached' AND breached_at IS NULL AND deadline IS NOT NULL
        """
    )
