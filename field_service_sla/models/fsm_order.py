from odoo import api, fields, models

# what changes who works an order, or whom it matters to
TEAM_FIELDS = {"person_id", "person_ids", "ticket_id", "fs_wide_impact"}


class FsmOrder(models.Model):
    """The on-site timeline of a field order, by the core's rules
    (``sla_core.fieldwork``), is told in the fsm_order_*.py files, one idea
    each. Here: what create and write set off (the dispatch date, the
    restore, telling the account manager) and the helpers the others share."""

    _inherit = "fsm.order"

    @api.model
    def _fs_fmt(self, value):
        return self.env["fs.sla.engine"]._fmt(value)

    @api.model_create_multi
    def create(self, vals_list):
        now = fields.Datetime.now()
        for vals in vals_list:
            if (vals.get("person_id") or vals.get("person_ids")) and not vals.get(
                "fs_dispatch_date"
            ):
                vals["fs_dispatch_date"] = now
        # stored computed fields a batch caller gave with the values they
        # compute to (fs.inspection.plan): not computed again, not even by
        # the hooks below
        keep = self.env.context.get("fs_keep_computed") or ()
        orders = super(
            FsmOrder, self.with_context(fs_keep_computed=()) if keep else self
        ).create(vals_list)
        for name in keep:
            self.env.remove_to_compute(self._fields[name], orders)
        orders.filtered(lambda o: o.fs_work_result == "restored")._fs_restored(now)
        orders._fs_tell_account_manager()
        return orders

    def write(self, vals):
        if "fs_work_result" in vals:
            self._fs_check_result_change(vals["fs_work_result"])
        result = super().write(vals)
        if vals.keys() & {"person_id", "person_ids"}:
            undispatched = self.filtered(
                lambda o: not o.fs_dispatch_date and (o.person_id or o.person_ids)
            )
            if undispatched:
                undispatched.write({"fs_dispatch_date": fields.Datetime.now()})
        if vals.get("fs_work_result") == "restored":
            self._fs_restored(fields.Datetime.now())
        if vals.keys() & TEAM_FIELDS:
            self._fs_tell_account_manager()
        return result

    def _fs_dialog(self, model, name, context):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": context,
        }
