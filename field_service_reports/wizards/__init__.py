from . import fs_document_sign_wizard
from . import fs_monthly_report
from . import fs_assessment_wizards
