from odoo import api, models
from odoo.exceptions import AccessError


class FsDispatchGuardMixin(models.AbstractModel):
    """Who may write the dispatch fields of a model: ``_fs_admin_fields``
    are configuration (areas, covering teams, contractors, skills) that only
    SLA administrators set; ``_fs_engine_fields`` are written by the dispatch
    service alone (as superuser). One guard for create, write and copy
    (copy creates): base_territory lets every internal user write a
    territory, fieldservice every worker their own worker record."""

    _name = "fs.dispatch.guard.mixin"
    _description = "Guard of the automatic-dispatch fields"

    _fs_admin_fields = ()
    _fs_engine_fields = ()

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            defaults = {
                key.removeprefix("default_")
                for key in self.env.context
                if key.startswith("default_")
            }
            names = set().union(defaults, *vals_list)
            # a value left empty on create configures nothing
            given = {
                name
                for name in names
                if any(vals.get(name) for vals in vals_list)
                or self.env.context.get(f"default_{name}")
            }
            self._fs_check_dispatch_fields(given)
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._fs_check_dispatch_fields(vals)
        return super().write(vals)

    def _fs_check_dispatch_fields(self, names):
        engine = [n for n in self._fs_engine_fields if n in names]
        if engine:
            raise AccessError(
                self.env._(
                    "%(fields)s are set by the automatic dispatch, not by hand: "
                    "a dispatcher uses the Dispatch button or assigns a worker.",
                    fields=self._fs_labels(engine),
                )
            )
        admin = [n for n in self._fs_admin_fields if n in names]
        if admin and not self.env.user.has_group(
            "field_service_sla.group_fs_sla_admin"
        ):
            raise AccessError(
                self.env._(
                    "Only an SLA administrator sets the dispatch configuration "
                    "(areas, covering teams, contractors, skills); you tried to "
                    "change: %(fields)s.",
                    fields=self._fs_labels(admin),
                )
            )

    def _fs_labels(self, names):
        return ", ".join(
            self._fields[name]._description_string(self.env) for name in names
        )
