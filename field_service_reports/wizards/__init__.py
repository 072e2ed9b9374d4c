from . import fs_document_sign_wizard
