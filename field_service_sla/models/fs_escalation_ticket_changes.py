from collections import defaultdict

from odoo import models

from ..sla_core.escalation import tagged_title, title_tag


class FsEscalationActions(models.AbstractModel):
    """Phase 1: a step raises the escalation level, moves the ticket to
    another team, tags its title."""

    _inherit = "fs.escalation.actions"

    def _raise(self, fired, said):
        groups = defaultdict(list)
        for key, tid, step, _occ in fired:
            if step.raise_level or step.team:
                groups[(step.raise_level, step.team)].append((key, tid))
        for (raise_level, team), entries in groups.items():
            tickets = self.env["helpdesk.ticket"].browse([t for _k, t in entries])
            values = {}
            if raise_level:
                values["escalation_level"] = "province"
            if team:
                values["team_id"] = team.id
            tickets.write(values)
            for key, _tid in entries:
                if raise_level:
                    said[key].append(
                        self._said(
                            ("raise",), lambda: self.env._("Escalated to the province")
                        )
                    )
                if team:
                    said[key].append(
                        self._said(
                            ("team", team.id),
                            lambda t=team: self.env._(
                                "Moved to team %s", t.display_name
                            ),
                        )
                    )

    def _tag_titles(self, fired, said, batch):
        names = {}
        for key, tid, step, _occ in fired:
            if not step.title_tag:
                continue
            ticket = batch.tickets[tid]
            if step.title_tag == "fixed":
                tag = step.title_tag_text
            else:
                tag = title_tag(ticket.green_channel, ticket.severity == "severe")
            current = names.get(tid, ticket.name)
            names[tid] = (
                tagged_title(current, tag)
                if step.title_tag == "auto"
                else f"{tag}{current}"
            )
            said[key].append(
                self._said(("title",), lambda: self.env._("Title: %s")) % names[tid]
            )
        changed = {
            tid: name for tid, name in names.items() if name != batch.tickets[tid].name
        }
        if not changed:
            return
        # one UPDATE for the batch: the new title is in the history and the note
        self.env["helpdesk.ticket"].flush_model(["name"])
        self.env.cr.execute(
            """
            UPDATE helpdesk_ticket t SET name = v.name
              FROM unnest(%s::int[], %s::varchar[]) AS v(id, name)
             WHERE t.id = v.id
            """,
            (list(changed), list(changed.values())),
        )
        tickets = self.env["helpdesk.ticket"].browse(list(changed))
        tickets.invalidate_recordset(["name", "display_name"])
        tickets.modified(["name"])
        for ticket in tickets:
            batch.tickets[ticket.id].name = changed[ticket.id]
            batch.tickets[ticket.id].display_name = ticket.display_name
