from odoo import api, models
from odoo.exceptions import UserError


class FsButtonStateMixin(models.AbstractModel):
    """A record whose ``state`` moves only with its buttons (a planned work,
    an assurance period): each button checks what its step needs, then
    ``_move`` writes the state as superuser. Nobody writes it by hand, in
    create, write or copy alike: a client's context alone never opens it, it
    is never superuser."""

    _name = "fs.button.state.mixin"
    _description = "State moved by buttons only"
    #: the fields only the buttons write (the state, and what a step records)
    _fs_button_fields = ("state",)

    @api.model_create_multi
    def create(self, vals_list):
        if not self._fs_in_transition():
            for vals in vals_list:
                # a new record starts in the first state, with nothing recorded
                for name in self._fs_button_fields:
                    vals.pop(name, None)
        return super().create(vals_list)

    def write(self, vals):
        if vals.keys() & set(self._fs_button_fields) and not self._fs_in_transition():
            raise UserError(self._fs_state_refusal())
        return super().write(vals)

    def _fs_in_transition(self):
        return self.env.su and self.env.context.get("fs_state_transition")

    def _fs_state_refusal(self):
        """Why the state is not written by hand: names the buttons."""
        raise NotImplementedError

    def _check_state(self, allowed):
        """The user may change these records and each is in ``allowed``."""
        self.check_access("write")
        wrong = self.filtered(lambda r: r.state not in allowed)
        if wrong:
            labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "%(records)s is %(state)s: this step is not possible now.",
                    records=", ".join(wrong.mapped("display_name")),
                    state=labels[wrong[0].state],
                )
            )

    def _move(self, state, allowed, **vals):
        self._check_state(allowed)
        self.sudo().with_context(fs_state_transition=True).write(
            {"state": state, **vals}
        )
