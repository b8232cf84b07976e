"""Privacy: NIRs are masked to 7 characters, credentials never reach a log line."""

from __future__ import annotations

import base64
import datetime as dt
import logging

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from sandbox.population import Population
from sandbox.privacy import ScrubbingFilter, mask_nir, register_credentials, scrub


@given(
    index=st.integers(0, 99_999),
    seed=st.integers(0, 2**32),
    prefix=st.text(max_size=20),
    suffix=st.text(max_size=20),
)
def test_no_full_nir_survives_scrubbing(index: int, seed: int, prefix: str, suffix: str) -> None:
    person = Population(seed, 100_000, dt.date(2026, 1, 1)).generated(index)
    for written in (
        person.nir,
        person.nir_body,
        " ".join([person.nir[:1], person.nir[1:3], person.nir[3:]]),
    ):
        text = scrub(f"{prefix} {written} {suffix}")
        assert person.nir_body not in text.replace(" ", "")
        assert person.nir[:7] in text.replace(" ", "")


@given(nir=st.text(alphabet="0123456789", min_size=13, max_size=15))
def test_masking_shows_at_most_seven_characters(nir: str) -> None:
    masked = mask_nir(nir)
    assert len(masked.rstrip("*")) <= 7
    assert len(masked) == len(nir)


def test_credentials_are_removed_from_text() -> None:
    text = scrub(
        "client_secret=ftsandbox-secret-cd62&scope=x "
        "ft-jeton-usager: eyJ2ZXJzIjoiMC4xIiwidXVpZCI6Ijk "
        "Authorization: Bearer 6eAyVuKxBU6c7vkeuW_LcSLMxb5OXm1r7M36wahGmfE6sFRNRjIodueYjHiUr41"
    )
    for secret in (
        "ftsandbox-secret-cd62",
        "eyJ2ZXJzIjoiMC4xIiwidXVpZCI6Ijk",
        "6eAyVuKxBU6c7vkeuW",
    ):
        assert secret not in text


def test_the_filter_scrubs_uvicorn_style_access_records(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("test.access")
    logger.addFilter(ScrubbingFilter())
    with caplog.at_level(logging.INFO, logger="test.access"):
        logger.info(
            '%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET", "/x?nir=290036204190175", "1.1", 200
        )
    assert "290036204190175" not in caplog.text
    assert "2900362********" in caplog.text
    assert caplog.records[0].args == ("127.0.0.1:5000", "GET", "/x?nir=2900362********", "1.1", 200)


def test_url_paths_are_left_readable() -> None:
    path = "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir"
    assert scrub(f'"POST {path} HTTP/1.1" 200') == f'"POST {path} HTTP/1.1" 200'


IDENTIFIANT = "4d85658c-db0d-4255-8486-b70be17093b8#povbxJycuF8cD2AKg7H6qf6TCp7SSm59PMvy0nwtTwo4D3"
V1_PATH = "/partenaire/diagnosticargumente/v1/individus"


@pytest.mark.parametrize(
    "written",
    [
        "2-90-03-62-041-901-75",
        "2 90 03 62 041 901 75",
        "2.90.03.62.041.901.75",
        "2%2090%2003%2062%20041%20901%2075",
        "2+90+03+62+041+901+75",
        "%20290036204190175",
    ],
)
def test_nirs_in_urls_are_masked_in_every_common_spelling(written: str) -> None:
    text = scrub(f"/partenaire/x/{written}/y?nir={written}&z=1")
    masked = ("%20" if written.startswith("%20") else "") + "2900362********"
    assert text == f"/partenaire/x/{masked}/y?nir={masked}&z=1"


def test_the_credentials_an_instance_knows_are_masked_wherever_they_appear() -> None:
    register_credentials("a-client-secret/with+odd=chars", "short")
    text = scrub(
        "/partenaire/a-client-secret/with+odd=chars/x "
        "?s=a-client-secret%2Fwith%2Bodd%3Dchars&t=a-client-secret%2Fwith%2Bodd%3Dchars"
    )
    assert "client-secret" not in text and "odd" not in text
    assert text.startswith("/partenaire/[masqué]/x ")
    # Values too short to tell from ordinary words are left to the generic patterns.
    assert scrub("a short path") == "a short path"


def test_long_hex_runs_such_as_the_admin_token_are_masked() -> None:
    token = "0123456789abcdef" * 4
    assert scrub(f"/_sandbox/journal/x?admin={token}&limit=5") == (
        "/_sandbox/journal/x?admin=[masqué]&limit=5"
    )


@pytest.mark.parametrize("separator", ["#", "%23"])
def test_the_v1_identifiant_is_masked_whole_its_uuid_included(separator: str) -> None:
    identifiant = IDENTIFIANT.replace("#", separator)
    text = scrub(f"{V1_PATH}/{identifiant}/contraintes")
    assert text == f"{V1_PATH}/[masqué]/contraintes"


def test_other_uuids_stay_readable() -> None:
    path = "/partenaire/diagnosticargumente/v4/diagnostics/0f8fad5b-d9cb-469f-a165-70867728950e"
    assert scrub(path) == path


@given(raw=st.binary(min_size=30, max_size=300))
def test_an_unknown_random_credential_is_masked_whole(raw: bytes) -> None:
    # Base64 of 30+ random bytes (40+ characters): the shape of bearer tokens and jetons.
    credential = base64.b64encode(raw).decode()
    assume(any(c.isupper() for c in credential) and any(c.isdigit() for c in credential))
    assume(any(c.islower() for c in credential))
    assert credential not in scrub(f"GET /x?token={credential} HTTP/1.1")
    assert credential not in scrub(f"Authorization: Bearer {credential}")


def test_hint_text_and_camel_case_paths_are_not_masked() -> None:
    for text in (
        "Send 'Authorization: Bearer <access_token>' (POST /connexion/oauth2/access_token first).",
        "No such route: GET /partenaire/rechercherUsagerParDateNaissanceEtNir2/v2",
        "GET /partenaire/metiers-projets-entreprises/v2/metiersRecherchesParIdentifiantX1",
    ):
        assert scrub(text) == text
