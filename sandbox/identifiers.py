"""Identifier types shared by the population and the API models: NIR, numéro France Travail.

python-stdnum does the NIR arithmetic (key, 2A/2B); this module adds what the platform accepts on
input: a NIR of 13 characters (no key) or 15 (key checked) that someone can really carry.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, StringConstraints, WithJsonSchema
from stdnum.fr import nir as stdnum_nir

NIR_BODY_LENGTH = 13


def nir_key(body: str) -> str:
    """Return the 2-digit key of a 13-character NIR body (2A/2B handled by python-stdnum)."""
    return str(stdnum_nir.calc_check_digits(body))


def full_nir(body: str) -> str:
    """Append the key to a 13-character body."""
    return body + nir_key(body)


# What a NIR or a NIA built like one can be, character by character (reference-data.md §2):
# first digit 1/2 (NIR) or 7/8 (NIA); month 01-12, 20-42 (unknown or pseudo-fictitious) or
# 50-99; département of birth two digits, 2A or 2B; commune and order; an optional key.
# ASCII digits only: ``[0-9]``, never ``\d``, which also matches fullwidth and other digits.
NIR_BODY_PATTERN = (
    r"[1278][0-9]{2}(?:0[1-9]|1[0-2]|[23][0-9]|4[0-2]|[5-9][0-9])(?:[0-9]{2}|2A|2B)[0-9]{6}"
)
NIR_PATTERN = rf"^{NIR_BODY_PATTERN}(?:[0-9]{{2}})?$"
_NIR = re.compile(NIR_PATTERN)
CORSICA_SPLIT_YEAR = 1976


def normalise_nir(value: str) -> str:
    """Return the 13-character body of a NIR given with 13 or 15 characters.

    The value must match ``NIR_PATTERN`` exactly (no spaces, dots or lower-case 2a/2b: the
    contract's pattern and the route accept the same strings), and a 15-character NIR must carry
    the right key. Raises ``ValueError`` with a French message otherwise.
    """
    if _NIR.fullmatch(value) is None:
        raise ValueError(
            "NIR invalide : 13 ou 15 caractères, chiffres ASCII (2A/2B pour la Corse), premier "
            "chiffre 1, 2, 7 ou 8, mois 01-12, 20-42 ou 50-99, sans espace ni point"
        )
    body = value[:NIR_BODY_LENGTH]
    if len(value) > NIR_BODY_LENGTH and value[NIR_BODY_LENGTH:] != nir_key(body):
        raise ValueError("NIR invalide : la clé ne correspond pas aux 13 premiers caractères")
    return body


def check_birthplace_year(nir_body: str, birth_date: dt.date) -> None:
    """Corsica is ``20`` in NIRs of people born before 1976 and 2A/2B from 1976 on.

    Raises ``ValueError`` for a NIR that no one born on ``birth_date`` can carry.
    """
    departement = nir_body[5:7]
    if departement in ("2A", "2B") and birth_date.year < CORSICA_SPLIT_YEAR:
        raise ValueError("NIR impossible : 2A/2B pour une naissance avant 1976 (20 attendu)")
    if departement == "20" and birth_date.year >= CORSICA_SPLIT_YEAR:
        raise ValueError("NIR impossible : 20 pour une naissance en 1976 ou après (2A/2B attendu)")


NIR_JSON_SCHEMA = {
    "type": "string",
    "format": "nir",
    "pattern": NIR_PATTERN,
    "description": "NIR (ou NIA construit comme un NIR) sur 13 caractères (sans clé) ou 15 : "
    "chiffres ASCII, 2A/2B pour la Corse, sans espace ni point. Le motif ne peut exprimer la "
    "clé : elle est vérifiée (97 − N mod 97, 2A → 19, 2B → 18), comme la cohérence de la Corse "
    "avec la date de naissance (20 avant 1976, 2A/2B ensuite) ; sinon R997.",
}

NirInput = Annotated[str, AfterValidator(normalise_nir), WithJsonSchema(NIR_JSON_SCHEMA)]
"""A NIR as a partner sends it (13 or 15 characters); validates to the 13-character body."""

NumeroFranceTravail = Annotated[str, StringConstraints(pattern=r"^[0-9]{11}$")]
"""The 11-digit numéro France Travail."""


_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _require_iso_date_text(value: object) -> object:
    # Pydantic's lax mode would also take timestamps and datetimes; the platform wants AAAA-MM-JJ.
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise ValueError("date attendue au format AAAA-MM-JJ")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_require_iso_date_text)]
"""A calendar date written ``AAAA-MM-JJ`` (nothing else is accepted)."""


# RFC 3339 (JSON Schema ``format: date-time``): seconds and a time zone are required, the
# fraction uses a dot; Pydantic alone also takes "10:00", a naive time or "+0100". ASCII digits
# only: Python's ``\d`` also matches fullwidth and other digits.
_DATE_TIME = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?"
    r"([Zz]|[+-][0-9]{2}:[0-9]{2})$"
)


def require_date_time_text(value: object) -> object:
    """Let through an RFC 3339 date-time string (or a datetime); refuse anything else.

    FastAPI validates parsed JSON in Python mode, where a number (or a string of digits) would
    pass as epoch seconds.
    """
    if isinstance(value, str) and _DATE_TIME.match(value) or isinstance(value, dt.datetime):
        return value
    raise ValueError(
        "an RFC 3339 date-time with seconds and a time zone is expected, "
        "e.g. 2024-02-29T13:58:51.000+01:00"
    )
