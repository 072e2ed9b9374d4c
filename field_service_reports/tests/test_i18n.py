from pathlib import Path

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

PO = Path(__file__).resolve().parents[1] / "i18n" / "zh_CN.po"


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    def test_every_term_of_the_addon_has_a_zh_cn_translation(self):
        """The users read Chinese: every label, sheet name, header and
        message of the addon is in zh_CN.po with a translation."""
        exported = {
            source
            for _m, _t, _n, _r, source, _v, _c in TranslationModuleReader(
                self.env.cr, modules=["field_service_reports"]
            )
            if source.strip()
        }
        translated = {e.msgid for e in polib.pofile(str(PO)) if e.msgstr.strip()}
        missing = sorted(exported - translated)
        self.assertFalse(missing, f"{len(missing)} terms lack zh_CN: {missing[:20]}")
