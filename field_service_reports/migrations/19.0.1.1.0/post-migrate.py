from odoo import SUPERUSER_ID, api
from odoo.tools.convert import convert_file


def migrate(cr, version):
    """The document rules follow the document's source, no longer who made
    it (user_id): the rules are noupdate, so their file is loaded again."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    convert_file(
        env,
        "field_service_reports",
        "security/fs_document_rules.xml",
        {},
        mode="init",
        noupdate=True,
    )
