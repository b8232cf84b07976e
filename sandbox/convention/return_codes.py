"""Functional return codes of Recherche usager (``SXXX`` success, ``RXXX`` refusal or error).

Messages follow the platform: the v2 OpenAPI examples for generation 2, and the convention-era
client mocks ("approchant") for generation 1, which is what real v1 responses carried.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ReturnCode(StrEnum):
    """The codes a Recherche usager answer can carry."""

    S001 = "S001"
    S002 = "S002"
    S003 = "S003"
    R001 = "R001"
    R002 = "R002"
    R997 = "R997"
    R998 = "R998"
    R999 = "R999"


@dataclass(frozen=True, slots=True)
class ReturnCodeInfo:
    """HTTP status and messages of one return code."""

    http_status: int
    message_v2: str
    message_v1: str
    meaning: str


RETURN_CODES: dict[ReturnCode, ReturnCodeInfo] = {
    ReturnCode.S001: ReturnCodeInfo(
        200, "Usager trouvé", "Approchant trouvé", "Exactly one person known to France Travail."
    ),
    ReturnCode.S002: ReturnCodeInfo(
        200,
        "Aucun usager trouvé",
        "Aucun approchant trouvé",
        "Nobody with this NIR and birth date, or struck off more than 3 years ago.",
    ),
    ReturnCode.S003: ReturnCodeInfo(
        200,
        "Plusieurs usagers trouvés",
        "Plusieurs approchants trouvés",
        "Several records match the same NIR and birth date.",
    ),
    ReturnCode.R001: ReturnCodeInfo(
        403,
        "Accès non autorisé",
        "Accès non autorisé",
        "The person is outside the partner's scope (not an RSA beneficiary).",
    ),
    ReturnCode.R002: ReturnCodeInfo(
        403,
        "L'usager n'est pas rattaché à la structure de l'accédant",
        "L'usager n'est pas rattaché à la structure de l'accédant",
        "The person is followed in another département than the caller's.",
    ),
    ReturnCode.R997: ReturnCodeInfo(
        400,
        "Une erreur de validation s'est produite",
        "Une erreur de validation s'est produite",
        "Malformed or missing parameters.",
    ),
    ReturnCode.R998: ReturnCodeInfo(
        500,
        "Un service a répondu en erreur",
        "Un service a répondu en erreur",
        "A back-end service failed; notably when the person has no address on file.",
    ),
    ReturnCode.R999: ReturnCodeInfo(
        503,
        "Service indisponible, veuillez réessayer ultérieurement",
        "Service indisponible, veuillez réessayer ultérieurement",
        "The service is unavailable.",
    ),
}
