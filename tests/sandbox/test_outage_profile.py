"""The `outage` profile: every partner API unavailable, all the time, as the README says.

README: "`outage` | every partner API answers 503 (`R999` on Recherche usager)"; the profile's
description adds that the token endpoint still answers. Checked at several instants of the day,
around midnight UTC and a year's end in particular (a daily budget of 0.999 once left about 86 s
a day served normally there), on one route of each API, through the app.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sandbox import Settings, create_app
from sandbox.clock import FrozenClock
from sandbox.faults.engine import FaultEngine
from sandbox.faults.plan import RequestMeta
from sandbox.faults.profiles import load_profiles
from tests.conftest import AGENT_HEADERS, request_token
from tests.sandbox.asgi import RECHERCHE_V2, S001_PERSONA, Drivers

R999 = {
    "codeRetour": "R999",
    "message": "Service indisponible, veuillez réessayer ultérieurement",
    "topIdentiteCertifiee": None,
    "jetonUsager": None,
}
# One route per partner API (README, "What is served"), with the realm of its token.
ONE_ROUTE_PER_API = [
    ("POST", RECHERCHE_V2, "/agent"),
    ("POST", "/partenaire/rechercher-usager/v1/usagers/recherche", "/partenaire"),
    ("GET", "/partenaire/contrat-usager/v2/contrat", "/agent"),
    ("POST", "/partenaire/statut-usager/v1/statut", "/partenaire"),
    ("GET", "/partenaire/diagnosticargumente/v4/dossiers", "/agent"),
    ("GET", "/partenaire/diagnosticargumente/v1/individus/x", "/partenaire"),
    ("GET", "/partenaire/metiers-projets-entreprises/v2/metiers-recherches", "/agent"),
    ("GET", "/partenaire/metiers-profil-competences/v1/metiers-recherches", "/partenaire"),
    ("GET", "/partenaire/projet-creation-entreprise/v1/projets-cref", "/partenaire"),
    ("GET", "/partenaire/informations-administratives/v1/usager", "/agent"),
    ("GET", "/partenaire/conclusions-entretiens/v1/entretiens", "/agent"),
    ("GET", "/partenaire/orientationusager/v1/lectureOrientation", "/agent"),
    ("GET", "/partenaire/orientationusager/v2/lectureOrientation", "/agent"),
    ("GET", "/partenaire/donnees-rqth/v1/rqth", "/agent"),
    ("POST", "/partenaire/rendezvous-partenaires/v1/rendezvous", "/partenaire"),
    ("GET", "/partenaire/contrat-engagement/v1/lecture/structure", "/agent"),
    ("GET", "/partenaire/activites-operationnelles/v2/referentiel-activites", "/agent"),
    ("GET", "/partenaire/gestion-sanctions-rsa/v1/detailManquement", "/agent"),
]
ALL_AGENT_SCOPES = (
    "api_rechercher-usagerv2 rechercheusager profil_accedant api_contrat-usagerv2 "
    "statutcontratusager api_diagnosticargumentev4 diagnosticusageragent "
    "api_metiers-projets-entreprisesv2 ciblepro api_informations-administrativesv1 "
    "informationsadministrativesusager api_conclusions-entretiensv1 conclusionsentretienagent "
    "api_orientationusagerv1 orientationusager "
    "api_orientationusagerv2 lireorientationusager decisionorientationusager "
    "api_donnees-rqthv1 h2a api_contrat-engagementv1 contratengagementpart "
    "api_activites-operationnellesv2 activitesCD referentielCD api_gestion-sanctions-rsav1 "
    "gestiondesmanquements decisionSanctionPartenaire demandeRadiation"
)
ALL_PARTENAIRE_SCOPES = (
    "api_rechercher-usagerv1 api_statut-usagerv1 api_diagnosticargumentev1 "
    "api_metiers-profil-competencesv1 ciblepro api_projet-creation-entreprisev1 "
    "api_rendezvous-partenairesv1"
)


@pytest.mark.parametrize(
    "instant",
    [
        dt.datetime(2026, 11, 28, 0, 0, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 28, 0, 0, 30, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 28, 0, 1, 20, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 28, 9, 30, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 28, 23, 58, 40, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 28, 23, 59, 59, tzinfo=dt.UTC),
        dt.datetime(2026, 12, 31, 23, 59, 30, tzinfo=dt.UTC),
        dt.datetime(2027, 1, 1, 0, 0, 10, tzinfo=dt.UTC),
    ],
)
def test_outage_makes_every_partner_api_unavailable_at_any_time(
    tmp_path: Path, instant: dt.datetime
) -> None:
    """README: "`outage`: every partner API answers 503 (`R999` on Recherche usager)".

    The token endpoint still answers (the profile's own description).
    """
    clock = FrozenClock(instant)
    app = create_app(Settings(data_dir=tmp_path, secret_key="k", profile="outage"), clock)
    with TestClient(app) as client:
        tokens = {
            "/agent": request_token(client, "/agent", ALL_AGENT_SCOPES),
            "/partenaire": request_token(client, "/partenaire", ALL_PARTENAIRE_SCOPES),
        }
        for method, path, realm in ONE_ROUTE_PER_API:
            response = client.request(
                method,
                path,
                json=S001_PERSONA if method == "POST" else None,
                headers={"Authorization": f"Bearer {tokens[realm]}", **AGENT_HEADERS},
            )
            assert response.status_code == 503, (path, instant)
            assert response.headers["x-sandbox-fault"]
            if path == RECHERCHE_V2:
                assert response.json() == R999


def test_outage_leaves_no_gap_around_midnight(
    drivers: Drivers,
) -> None:
    """Every 5 s from 23:58 to 00:02 UTC through the app; every second of two days by the engine."""
    start = dt.datetime(2026, 11, 28, 23, 58, tzinfo=dt.UTC)
    driver = drivers("outage", start)
    statuses = []
    for step in range(48):
        driver.clock.set(start + dt.timedelta(seconds=5 * step))
        statuses.append(driver.search().status)
    assert set(statuses) == {503}
    profile = load_profiles()["outage"]
    engine = FaultEngine(seed=2024253)
    meta = RequestMeta("POST", RECHERCHE_V2, "rechercher-usager-v2", "PAR_ftsandbox_cd62", None)
    day = dt.datetime(2026, 12, 31, tzinfo=dt.UTC).timestamp()
    served = [
        second
        for second in range(0, 2 * 86400)
        if (fault := engine.decide(profile, meta, day + second).fault) is None
        or fault.status != 503
    ]
    assert served == []


def test_outage_by_scenario_header_at_midnight(
    drivers: Drivers,
) -> None:
    driver = drivers("nominal", dt.datetime(2026, 11, 29, 0, 0, 5, tzinfo=dt.UTC))
    outage = driver.search({"X-Sandbox-Scenario": "outage"})
    assert (outage.status, outage.json()) == (503, R999)
    assert driver.search().status == 200
