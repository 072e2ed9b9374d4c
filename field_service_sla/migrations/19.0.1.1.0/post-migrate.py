def migrate(cr, version):
    """Tickets without clocks had no SLA status and grouped unlabelled; the
    status is now "No SLA"."""
    cr.execute(
        """
        UPDATE helpdesk_ticket t
           SET sla_state = 'none'
         WHERE sla_state IS NULL
           AND NOT EXISTS (SELECT 1 FROM fs_sla_clock c WHERE c.ticket_id = t.id)
        """
    )
