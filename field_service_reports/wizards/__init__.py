from . import fs_monthly_report
