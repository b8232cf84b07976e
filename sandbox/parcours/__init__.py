"""What France Travail's « Suivi de parcours » tool shows of a person (convention Annexe 3).

Three of Annexe 3's data lists, each a pure function of (seed, person, population epoch):
conclusions d'entretien (``entretiens``), démarches (``demarches``) and the « Suivi d'intensité
d'accompagnement » view (``intensite``). Conclusions entretiens v1 serves the first to
partners; the control plane serves all three as the tool would show them.
"""

from __future__ import annotations

from sandbox.parcours.conseillers import Conseiller
from sandbox.parcours.demarches import Demarche, demarches_of
from sandbox.parcours.entretiens import Entretien, entretiens_of
from sandbox.parcours.intensite import SuiviIntensite, suivi_intensite_of

__all__ = [
    "Conseiller",
    "Demarche",
    "Entretien",
    "SuiviIntensite",
    "demarches_of",
    "entretiens_of",
    "suivi_intensite_of",
]
