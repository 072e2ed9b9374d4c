import logging

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# sla_core.circuits.normalize_circuit_ref in SQL: blanks around dropped, inner
# runs of blanks made one space, upper case
NORMALIZED = SQL("upper(btrim(regexp_replace(circuit_ref, '\\s+', ' ', 'g')))")


def normalize_circuits(cr):
    """Store every circuit reference in its normalised form, except where two
    lines of a company would then share one: those are left as they are and
    reported (a person decides which line is the real one)."""
    cr.execute(
        SQL(
            """
            SELECT company_id, %(norm)s, array_agg(id ORDER BY id)
              FROM fs_service_line
             GROUP BY company_id, %(norm)s
            HAVING count(*) > 1
            """,
            norm=NORMALIZED,
        )
    )
    clashes = cr.fetchall()
    kept = [line_id for _company, _ref, ids in clashes for line_id in ids]
    for company_id, ref, ids in clashes:
        _logger.warning(
            "Service lines %s of company %s are one circuit %s once normalised: "
            "left unchanged, merge them by hand.",
            ids,
            company_id,
            ref,
        )
    cr.execute(
        SQL(
            """
            UPDATE fs_service_line SET circuit_ref = %(norm)s
             WHERE circuit_ref IS DISTINCT FROM %(norm)s AND NOT id = ANY(%(kept)s)
            """,
            norm=NORMALIZED,
            kept=kept,
        )
    )
    _logger.info("Circuit references normalised: %s", cr.rowcount)
    return clashes


def finding_tickets_are_maintenance(env):
    """The follow-up tickets of inspection findings are maintenance work: their
    category, then their policy and whether they count as faults, follow."""
    category = env.ref(
        "field_service_sla.ticket_category_maintenance", raise_if_not_found=False
    )
    if not category:
        return
    tickets = (
        env["fs.inspection.finding"]
        .search([("ticket_id", "!=", False)])
        .ticket_id.filtered(lambda t: not t.category_id)
    )
    if tickets:
        tickets.write({"category_id": category.id})
    _logger.info("Inspection follow-up tickets made maintenance work: %s", len(tickets))


def migrate(cr, version):
    normalize_circuits(cr)
    env = api.Environment(cr, SUPERUSER_ID, {})
    finding_tickets_are_maintenance(env)
    # the new columns were computed batch by batch, each batch reading the
    # others as stored then: the repeats once more, over all tickets at once
    changed = env["helpdesk.ticket"]._fs_recompute_all_repeats()
    _logger.info(
        "Repeated-fault flags corrected after the first computation: %s", changed
    )
