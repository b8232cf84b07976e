"""Identifier types shared by the population and the API models: NIR, numéro France Travail.

python-stdnum does the NIR arithmetic (key, 2A/2B); this module only adds what the platform
accepts on input: a NIR of 13 characters (no key) or 15 (key checked).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, StringConstraints, WithJsonSchema
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import nir as stdnum_nir

NIR_BODY_LENGTH = 13


def nir_key(body: str) -> str:
    """Return the 2-digit key of a 13-character NIR body (2A/2B handled by python-stdnum)."""
    return str(stdnum_nir.calc_check_digits(body))


def full_nir(body: str) -> str:
    """Append the key to a 13-character body."""
    return body + nir_key(body)


def normalise_nir(value: str) -> str:
    """Return the 13-character body of a NIR given with 13 or 15 characters.

    Spaces and dots are ignored and ``2a``/``2b`` are upper-cased. A 15-character NIR must carry
    the right key. Raises ``ValueError`` with a French message otherwise.
    """
    compact = str(stdnum_nir.compact(value))
    if len(compact) == NIR_BODY_LENGTH:
        try:
            stdnum_nir.validate(full_nir(compact))
        except (StdnumError, ValueError) as exc:
            raise ValueError("NIR invalide : format non reconnu") from exc
        return compact
    if len(compact) == NIR_BODY_LENGTH + 2:
        try:
            stdnum_nir.validate(compact)
        except StdnumError as exc:
            raise ValueError("NIR invalide : clé ou format incorrect") from exc
        return compact[:NIR_BODY_LENGTH]
    raise ValueError("NIR invalide : 13 ou 15 caractères attendus")


NIR_JSON_SCHEMA = {
    "type": "string",
    "format": "nir",
    "pattern": "^[0-9]{5}(?:[0-9]{2}|2A|2B)[0-9]{6}(?:[0-9]{2})?$",
    "description": "NIR sur 13 caractères (sans clé) ou 15 (clé vérifiée) ; Corse : 2A/2B.",
}

NirInput = Annotated[str, AfterValidator(normalise_nir), WithJsonSchema(NIR_JSON_SCHEMA)]
"""A NIR as a partner sends it (13 or 15 characters); validates to the 13-character body."""

NumeroFranceTravail = Annotated[str, StringConstraints(pattern=r"^\d{11}$")]
"""The 11-digit numéro France Travail."""


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _require_iso_date_text(value: object) -> object:
    # Pydantic's lax mode would also take timestamps and datetimes; the platform wants AAAA-MM-JJ.
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise ValueError("date attendue au format AAAA-MM-JJ")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_require_iso_date_text)]
"""A calendar date written ``AAAA-MM-JJ`` (nothing else is accepted)."""
