"""Wire model of Données RQTH v1, reconstructed: no published file exists.

The four keys and their values are those les-emplois reads and mocks (reference §6.4;
``itou/utils/apis/pole_emploi.py``, ``itou/utils/mocks/pole_emploi.py``): ``dateDebutRqth`` and
``dateFinRqth`` as ISO dates, ``9999-12-31`` for a RQTH without end, ``source`` a text such as
``FRANCE TRAVAIL``, ``topValiditeRQTH`` a JSON boolean. The model's name is the sandbox's.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from sandbox.population.models import Rqth, RqthSource
from sandbox.rqth import NO_END


class DonneesRqth(BaseModel):
    """La RQTH de l'usager : période, source et validité à la date du jour."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    date_debut_rqth: dt.date = Field(
        alias="dateDebutRqth",
        description="Premier jour de la RQTH (AAAA-MM-JJ), jamais avant les 16 ans de l'usager.",
        examples=["2024-01-20"],
    )
    date_fin_rqth: dt.date = Field(
        alias="dateFinRqth",
        description="Dernier jour de la RQTH (AAAA-MM-JJ) ; `9999-12-31` pour une RQTH sans "
        "limitation de durée.",
        examples=["2030-01-20", "9999-12-31"],
    )
    source: RqthSource = Field(
        description="Origine de l'information : `MDPH` (décision de la CDAPH transmise par la "
        "MDPH) ou `FRANCE TRAVAIL` (valeur des exemples de les-emplois) ; lecture du bac à sable.",
        examples=["MDPH"],
    )
    top_validite_rqth: bool = Field(
        alias="topValiditeRQTH",
        description="true si la RQTH est en vigueur à la date du jour de l'instance (horloge du "
        "bac à sable), bornes comprises ; false si elle a pris fin ou n'a pas encore commencé.",
        examples=[True],
    )

    @classmethod
    def of(cls, rqth: Rqth, today: dt.date) -> DonneesRqth:
        """The answer for a RQTH, seen on ``today``."""
        return cls(
            date_debut_rqth=rqth.starts_on,
            date_fin_rqth=rqth.ends_on or NO_END,
            source=rqth.source,
            top_validite_rqth=rqth.valid_on(today),
        )
