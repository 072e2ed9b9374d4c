"""What every sheet of the monthly workbook writes with: the cell formats,
a sheet with its title and header rows, a row of cells, the detail sheets'
row writer, the names of the records the rows refer to, and the ticket
columns the detail sheets begin with."""

import pytz

# where the table of every sheet starts: two title rows, then the header
HEADER_ROW = 2
FIRST_ROW = HEADER_ROW + 1
# a duration cell holds days: Excel shows [h]:mm from it
HOURS_PER_DAY = 24.0
WIDTH = {"name": 28, "number": 12, "text": 40, "date": 17, "ticket": 14}


class NameCache:
    """Display names of the few tiers, service types and teams the detail
    rows refer to, read once each in the reader's language."""

    def __init__(self, env):
        self.env, self.cache = env, {}

    def __call__(self, model, record_id):
        if not record_id:
            return ""
        key = (model, record_id)
        if key not in self.cache:
            record = self.env[model].with_context(active_test=False).browse(record_id)
            self.cache[key] = record.sudo().display_name
        return self.cache[key]


class MonthlyWorkbook:
    """The workbook being written and the request it answers (wizard and
    scope); each sheet module's ``write(book, source)`` writes its sheets
    with it."""

    #: the cell kinds of the ticket columns (``ticket_columns``)
    TICKET_KINDS = ("text", "text", "text", "text", "text", "text", "datetime")

    def __init__(self, env, workbook, wizard, scope):
        self.env, self.workbook = env, workbook
        self.wizard, self.scope = wizard, scope
        self.formats = self._make_formats(workbook)
        self.names = NameCache(env)
        self._tz = pytz.timezone(scope.tz)
        self.subtitle = self._subtitle_of(wizard, scope)
        #: the chart sheet, first of the workbook, which the trend fills
        self.chart_sheet = None

    @staticmethod
    def _make_formats(workbook):
        base = {"valign": "top"}
        specs = {
            "title": {"bold": True, "font_size": 14},
            "subtitle": {"italic": True, "font_color": "#555555"},
            "header": {
                "bold": True,
                "text_wrap": True,
                "bg_color": "#D9E1F2",
                "border": 1,
            },
            "text": {},
            "wrap": {"text_wrap": True},
            "int": {"num_format": "#,##0"},
            "pct": {"num_format": "0.0%"},
            "rate": {"num_format": "0.00"},
            "duration": {"num_format": "[h]:mm"},
            "datetime": {"num_format": "yyyy-mm-dd hh:mm"},
            "month": {"num_format": "yyyy-mm", "align": "left"},
        }
        formats = {}
        for name, spec in specs.items():
            formats[name] = workbook.add_format({**base, **spec})
            formats[f"total_{name}"] = workbook.add_format(
                {**base, **spec, "bold": True, "top": 1}
            )
        return formats

    def selection(self, model, field):
        return dict(self.env[model]._fields[field]._description_selection(self.env))

    def _subtitle_of(self, wizard, scope):
        teams = ", ".join(wizard.team_ids.mapped("name")) or self.env._("all teams")
        return self.env._(
            "%(company)s, %(month)s, %(teams)s (reported in the month, time zone "
            "%(tz)s)",
            company=wizard.company_id.name,
            month=str(scope.month),
            teams=teams,
            tz=scope.tz,
        )

    def local(self, moment):
        return pytz.utc.localize(moment).astimezone(self._tz).replace(tzinfo=None)

    def sheet(self, name, title, columns, freeze_columns=1):
        """A sheet with its title rows and header row; ``columns`` are
        (header, width) pairs. Frozen below the header."""
        sheet = self.workbook.add_worksheet(name)
        formats = self.formats
        sheet.write_string(0, 0, title, formats["title"])
        sheet.write_string(1, 0, self.subtitle, formats["subtitle"])
        sheet.set_row(HEADER_ROW, 45)
        for col, (header, width) in enumerate(columns):
            sheet.set_column(col, col, width)
            sheet.write_string(HEADER_ROW, col, header, formats["header"])
        sheet.freeze_panes(FIRST_ROW, freeze_columns)
        return sheet

    def write_row(self, sheet, row, cells, total=False):
        """``cells`` are (value, format name). An empty value writes no cell
        at all (a detail sheet has tens of thousands of rows), but on a total
        row, whose cells carry a border."""
        prefix = "total_" if total else ""
        for col, (value, fmt) in enumerate(cells):
            style = self.formats[prefix + fmt]
            if value is None or value == "":
                if total:
                    sheet.write_blank(row, col, None, style)
            elif fmt in ("datetime", "month"):
                sheet.write_datetime(row, col, value, style)
            elif isinstance(value, str):
                sheet.write_string(row, col, value, style)
            else:
                sheet.write_number(row, col, value, style)

    def row_writer(self, sheet, kinds):
        """A row writer for the detail sheets, which may have tens of
        thousands of rows: ``kinds`` are the columns' formats; text is
        written as a string, anything else as a number (times come from SQL
        as Excel serial days); an empty value writes no cell."""
        plan = [
            (sheet.write_string if kind == "text" else sheet.write_number, style)
            for kind, style in ((kind, self.formats[kind]) for kind in kinds)
        ]

        def write(row, values):
            for col, ((writer, style), value) in enumerate(
                zip(plan, values, strict=True)
            ):
                if value is not None and value != "":
                    writer(row, col, value, style)

        return write

    @staticmethod
    def days(hours):
        return None if hours is None else hours / HOURS_PER_DAY

    def ordered(self, model, groups):
        """The groups in the order of their model (tiers and service types
        by sequence, teams by theirs), the one without a record last."""
        ids = [key for key in groups if key]
        records = (
            self.env[model]
            .sudo()
            .with_context(active_test=False)
            .search([("id", "in", ids)])
        )
        ordered = [groups[record.id] for record in records]
        if None in groups:
            ordered.append(groups[None])
        return ordered

    def ticket_columns(self):
        """The columns a detail sheet's row of a ticket begins with."""
        _ = self.env._
        return [
            (_("Ticket"), WIDTH["ticket"]),
            (_("Title"), WIDTH["text"]),
            (_("Customer"), WIDTH["name"]),
            (_("Customer tier"), WIDTH["number"]),
            (_("Service type"), WIDTH["name"]),
            (_("Team"), WIDTH["name"]),
            (_("Reported at"), WIDTH["date"]),
        ]

    def ticket_cells(self, number, title, customer, tier, stype, team, reported):
        names = self.names
        return (
            number,
            title,
            customer,
            names("fs.customer.tier", tier),
            names("fs.service.type", stype),
            names("helpdesk.ticket.team", team),
            reported,
        )
