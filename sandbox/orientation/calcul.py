"""The sandbox's orientation calculation: a proposal from the criteria sent, a pure function.

France Travail does not publish its algorithm. The sandbox's rule, in this order (the contract
states it):

1. neither ``situation_professionnelle`` nor ``capacite_a_travailler`` sent: the questionnaire
   is partial, état ``BROUILLON``, parcours and organisme ``IND``;
2. ``capacite_a_travailler`` false, a ``contrainte_sante`` ``INCAPACITE_RECHERCHE_ACTIVITE_PRO``,
   or a ``contrainte_logement`` ``SANS_LOGEMENT`` / ``PROCEDURE_EXPULSION``: social (PSO, CD);
3. two strong constraints or more (any ``IMPACT_FORT_RECHERCHE_EMPLOI``,
   ``AUCUN_MOYEN_DE_TRANSPORT``, ``ENFANT_SANS_SOLUTION_GARDE``, ``AIDANT_FAMILIAL``,
   ``NON_ACCES_INTERNET``): socio-professionnel (PSP, CD);
4. ``boe`` with ``boe_souhait_accompagnement``: professionnel with Cap emploi (PED, CE);
5. ``origine`` ``INSCRIPTION_AUTO_MILO``: professionnel with the Mission locale (PED, ML);
6. otherwise professionnel with France Travail (PED, FT).

Every rule but the first gives a complete questionnaire: état ``EN_ATTENTE`` (waiting for a
decision).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sandbox.orientation.records import Etat, Organisme, Parcours

CONSTRAINTS = (
    "contrainte_sante",
    "contrainte_logement",
    "contrainte_mobilite",
    "contrainte_familiale",
    "contrainte_financiere",
    "contrainte_numerique",
    "contrainte_administrative_juridique",
    "contrainte_francais_calcul",
)
_STRONG = frozenset(
    {
        "IMPACT_FORT_RECHERCHE_EMPLOI",
        "AUCUN_MOYEN_DE_TRANSPORT",
        "ENFANT_SANS_SOLUTION_GARDE",
        "AIDANT_FAMILIAL",
        "NON_ACCES_INTERNET",
    }
)


@dataclass(frozen=True, slots=True)
class Proposal:
    """What the calculation proposes."""

    parcours: Parcours
    organisme: Organisme
    etat: Etat


def propose(criteres: dict[str, Any]) -> Proposal:
    """The proposed orientation for the criteria of ``calculOrientation`` (rules above)."""
    if criteres.get("situation_professionnelle") is None and (
        criteres.get("capacite_a_travailler") is None
    ):
        return Proposal(Parcours.IND, Organisme.IND, Etat.BROUILLON)
    if (
        criteres.get("capacite_a_travailler") is False
        or criteres.get("contrainte_sante") == "INCAPACITE_RECHERCHE_ACTIVITE_PRO"
        or criteres.get("contrainte_logement") in ("SANS_LOGEMENT", "PROCEDURE_EXPULSION")
    ):
        return Proposal(Parcours.PSO, Organisme.CD, Etat.EN_ATTENTE)
    strong = sum(1 for name in CONSTRAINTS if criteres.get(name) in _STRONG)
    if strong >= 2:
        return Proposal(Parcours.PSP, Organisme.CD, Etat.EN_ATTENTE)
    if criteres.get("boe") and criteres.get("boe_souhait_accompagnement"):
        return Proposal(Parcours.PED, Organisme.CE, Etat.EN_ATTENTE)
    if criteres.get("origine") == "INSCRIPTION_AUTO_MILO":
        return Proposal(Parcours.PED, Organisme.ML, Etat.EN_ATTENTE)
    return Proposal(Parcours.PED, Organisme.FT, Etat.EN_ATTENTE)
