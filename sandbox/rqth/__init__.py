"""Données RQTH: a person's reconnaissance de la qualité de travailleur handicapé, if any."""

from sandbox.rqth.generator import (
    FIRST_PERMANENT_DAY,
    MIN_AGE,
    NO_END,
    RQTH_SHARE,
    rqth_of,
)

__all__ = ["FIRST_PERMANENT_DAY", "MIN_AGE", "NO_END", "RQTH_SHARE", "rqth_of"]
