from . import report
from . import wizards
