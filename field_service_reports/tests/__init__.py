from . import test_install
from . import test_document_render
from . import test_document_signing
from . import test_fault_report_approval
from . import test_i18n
from . import test_signature_tour
