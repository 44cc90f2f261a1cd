"""The care-plan editor, one module per tab, with printing and the tapering dialog beside it."""

from smerteagent.ui.careplan.editor import CarePlanEditor

__all__ = ["CarePlanEditor"]
