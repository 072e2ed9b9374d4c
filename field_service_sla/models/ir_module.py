"""Chinese for the modules our users work in that lack it.

``helpdesk_mgmt``, ``fieldservice``, ``helpdesk_mgmt_fieldservice`` and
``base_territory`` ship no zh_CN, so their menus, labels, stages and messages
would stay English on a Chinese screen; Odoo's own ``resource`` leaves a few
terms of its calendar form untranslated, the web client one message;
``mail``, ``portal`` and ``sms`` add
fields to the OCA models (activity state...) that their po files cannot know
of. This addon carries those translations in ``i18n_deps/<module>.<lang>.po``
and loads them the way Odoo loads a module's own po files, never over the
module's own translations (unless Odoo is asked to overwrite):

- data terms (labels, menus, views, stage names...) through
  ``ir.module.module._load_module_terms``, which Odoo calls when a module is
  installed or updated and when a language is installed or its terms updated;
  they are loaded for one of those modules when its terms load, and for all
  of them when this addon's terms load (its install with Chinese already
  active, ``-u field_service_sla``);
- code terms (``_()`` in their Python, their JavaScript) are not stored in the
  database: Odoo reads them from the module's own i18n folder on first use, so
  that reader also reads ours for those modules.

Another of our addons that depends on more such modules registers its own
folder with ``register_dep_translations`` (field_service_reports does for
``fieldservice_portal``).
"""

from pathlib import Path

from odoo import api, models
from odoo.tools import translate
from odoo.tools.translate import TranslationImporter, get_base_langs

DEP_I18N = Path(__file__).resolve().parents[1] / "i18n_deps"
# Every term of these has Chinese, theirs or ours.
COMPLETED_MODULES = (
    "base_territory",
    "fieldservice",
    "helpdesk_mgmt",
    "helpdesk_mgmt_fieldservice",
    "resource",
)
# Only the terms these add to the models of the ones above.
MIXIN_MODULES = ("mail", "portal", "sms")
# Only the few terms their own zh_CN leaves empty (the web client's "Missing
# required fields").
GAP_MODULES = ("web",)
DEP_MODULES = COMPLETED_MODULES + MIXIN_MODULES + GAP_MODULES
# {module we translate: (our addon that carries its po files, their folder)}
DEP_I18N_DIRS = dict.fromkeys(DEP_MODULES, ("field_service_sla", DEP_I18N))


def register_dep_translations(owner, folder, modules):
    """Let our addon ``owner`` carry the po files of ``modules`` in
    ``folder`` (``<module>.<lang>.po``): loaded with ``owner``'s terms and
    with each module's own, like the ones of this addon."""
    for module in modules:
        DEP_I18N_DIRS[module] = (owner, Path(folder))
    _forget_code_translations(modules)


def dep_po_paths(module, lang):
    """Our po files of the OCA ``module`` for ``lang`` (base language first,
    as Odoo orders its own)."""
    if module not in DEP_I18N_DIRS:
        return []
    folder = DEP_I18N_DIRS[module][1]
    paths = (folder / f"{module}.{code}.po" for code in get_base_langs(lang))
    return [str(p) for p in paths if p.is_file()]


def dep_modules_of(modules):
    """The modules whose terms we load when the terms of ``modules`` load:
    those of them we translate, and all those our addons among them carry."""
    return sorted(
        dep
        for dep, (owner, _folder) in DEP_I18N_DIRS.items()
        if dep in modules or owner in modules
    )


def load_dep_terms(env, modules, langs, overwrite=False):
    """Load our po files of those of ``modules`` that are installed."""
    env.cr.execute(
        "SELECT name FROM ir_module_module WHERE name = ANY(%s) AND state IN "
        "('installed', 'to install', 'to upgrade')",
        [sorted(set(modules) & set(DEP_I18N_DIRS))],
    )
    installed = sorted(name for (name,) in env.cr.fetchall())
    if not installed:
        return
    importer = TranslationImporter(env.cr, verbose=False)
    for module in installed:
        for lang in langs:
            for path in dep_po_paths(module, lang):
                importer.load_file(path, lang)
    importer.save(overwrite=overwrite)


def load_model_names(env, modules):
    """The translated names of the models of ``modules`` (ours and the OCA
    modules we translate), in every installed language, before the modules'
    data load. Odoo loads a module's terms after its data: the records the
    data and demo files create would log "<model> created" with the model's
    English name in a Chinese sentence ("Field Service Order 创建")."""
    langs = [code for code, _name in env["res.lang"].get_installed()]
    langs = [lang for lang in langs if lang != "en_US"]
    if not langs:
        return
    env.cr.execute(
        "SELECT module || '.' || name FROM ir_model_data "
        "WHERE model = 'ir.model' AND module = ANY(%s)",
        [list(modules)],
    )
    xmlids = {xmlid for (xmlid,) in env.cr.fetchall()}
    importer = TranslationImporter(env.cr, verbose=False)
    for module in modules:
        for lang in langs:
            paths = [*translate.get_po_paths(module, lang), *dep_po_paths(module, lang)]
            for path in paths:
                importer.load_file(path, lang, xmlids=xmlids)
    importer.save(overwrite=False)


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    @api.model
    def _fs_load_model_names(self, modules):
        """Called first by our addons' data files (see load_model_names)."""
        load_model_names(self.env, modules)

    @api.model
    def _load_module_terms(self, modules, langs, overwrite=False):
        super()._load_module_terms(modules, langs, overwrite=overwrite)
        load_dep_terms(self.env, dep_modules_of(modules), langs, overwrite=overwrite)


def _read_oca_code_translations(read):
    """Wrap Odoo's reader of a module's code translations so that it also
    reads our po files of the OCA modules (theirs first, ours for what they
    leave untranslated)."""

    def get_code_translations(module_name, lang, filter_func):
        translations = read(module_name, lang, filter_func)
        for path in dep_po_paths(module_name, lang):
            with open(path, "rb") as fileobj:
                ours = translate.CodeTranslations._read_code_translations_file(
                    fileobj, filter_func
                )
            translations = {**ours, **translations}
        return translations

    get_code_translations.fs_sla_oca = True
    return staticmethod(get_code_translations)


def _forget_code_translations(modules):
    """Terms read before our po files were known stay cached without ours."""
    for cache in (
        translate.code_translations.python_translations,
        translate.code_translations.web_translations,
    ):
        for key in [k for k in cache if k[0] in modules]:
            del cache[key]


if not getattr(translate.CodeTranslations._get_code_translations, "fs_sla_oca", False):
    translate.CodeTranslations._get_code_translations = _read_oca_code_translations(
        translate.CodeTranslations._get_code_translations
    )
    _forget_code_translations(DEP_MODULES)
