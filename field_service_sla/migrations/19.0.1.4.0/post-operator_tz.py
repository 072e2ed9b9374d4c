from odoo import SUPERUSER_ID, api

# the shipped escalation e-mail, as installed before the operator time zone:
# its reported time was written in the company's working-hours time zone
OLD_TZ = "tz=object.company_id.resource_calendar_id.tz)"
NEW_TZ = "tz=object.company_id._fs_operator_tz())"


def migrate(cr, version):
    """The operator time zone (res.company.fs_tz): set each company's as the
    installation does, and have the shipped escalation e-mail (noupdate, so
    not rewritten by the upgrade) print its time in it, unless an
    administrator rewrote that expression."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["res.company"]._fs_setup_operator_tz()
    # the order reads the ticket's repeated-fault flag, by the tier's window:
    # the field-work window parameter (noupdate) drives nothing any more
    param = env.ref(
        "field_service_sla.param_fieldwork_repeat_window_days",
        raise_if_not_found=False,
    )
    if param:
        param.unlink()
    template = env.ref(
        "field_service_sla.mail_template_escalation_notice", raise_if_not_found=False
    )
    if template:
        env.flush_all()
        cr.execute(
            """
            UPDATE mail_template
               SET body_html = replace(body_html::text, %s, %s)::jsonb
             WHERE id = %s AND body_html::text LIKE %s
            """,
            (OLD_TZ, NEW_TZ, template.id, f"%{OLD_TZ}%"),
        )
        template.invalidate_recordset(["body_html"])
