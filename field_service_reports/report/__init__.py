from . import fs_monthly_report_data
from . import fs_monthly_report_xlsx
from . import fs_monthly_report_dispatch
from . import fs_monthly_report_availability
