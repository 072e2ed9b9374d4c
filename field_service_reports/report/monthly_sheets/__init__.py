"""The sheets of the monthly customer-response workbook, one module each (or
one per group of sheets written from the same figures), each with a
``write(book, source)``; ``book.py`` is what they write with, and
``fs_monthly_report_xlsx.SHEETS`` puts them in order."""
