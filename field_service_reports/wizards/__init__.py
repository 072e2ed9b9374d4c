from . import fs_document_sign_wizard
from . import fs_monthly_report
