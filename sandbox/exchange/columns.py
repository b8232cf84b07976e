"""What a column of an exchange file is: the metadata the row models carry on each field.

The row models (``sandbox.exchange.models``) are the single source of truth; this module gives
them a vocabulary. The Table Schema export (``schema.py``) and the compiled checker
(``compiled.py``) both read the same ``Spec`` of each field.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ColumnType(StrEnum):
    """The shape of a column's values."""

    TEXT = "texte"
    CODE = "code"
    PATTERN = "motif"
    DATE = "date"
    NIR = "nir"
    EMAIL = "courriel"
    PHONE = "telephone"
    COMMUNE = "commune"
    DEPARTEMENT = "departement"
    FLAG = "booleen"


class Masking(StrEnum):
    """How a value of the column is shown in a report (``sandbox.exchange.masking``)."""

    NONE = "aucun"
    NIR = "nir"
    NAME = "initiales"
    EMAIL = "courriel"
    PHONE = "telephone"
    HIDDEN = "masque"


class DateFormat(StrEnum):
    """How a file kind writes its dates."""

    ISO = "AAAA-MM-JJ"
    FRENCH = "JJ/MM/AAAA"


@dataclass(frozen=True, slots=True)
class Spec:
    """One column's contract, attached to a row-model field with ``Annotated``.

    ``codes`` names a code list (``sandbox.exchange.codes``); ``pattern`` is a Table Schema /
    XML Schema regular expression (implicitly anchored, no ``(?:``); ``first_of_month`` asks for
    a date brought to the 1st of its month (Annexe 4's DATE_NAISSANCE).
    """

    type: ColumnType
    codes: str | None = None
    pattern: str | None = None
    max_length: int | None = None
    masking: Masking = Masking.NONE
    first_of_month: bool = False
