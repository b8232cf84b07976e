"""Exchange files of the convention (Annexes 1, 3 and 4): row models, Table Schemas, checker.

No HTTP here: the kit (``conformance.files``) and, later, the sandbox's file drop both call
``check``.
"""

from __future__ import annotations

from sandbox.exchange.checker import check, detect_kind, rules_for
from sandbox.exchange.models import ROW_MODELS
from sandbox.exchange.reader import Limits
from sandbox.exchange.rules import RULES

__all__ = ["RULES", "ROW_MODELS", "Limits", "check", "detect_kind", "rules_for"]
