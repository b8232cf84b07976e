"""The NIR a partner sends: the contract's pattern and the route accept exactly the same strings.

Expected values come from the NIR rules (reference-data.md §1-2: first digit 1/2, 7/8 for a NIA;
month 01-12, 20-42, 50-99; Corsica 20 before 1976, 2A/2B from 1976 on; key 97 - N mod 97) and
from the exported contract's pattern, never from the validator under test.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import httpx2
import pytest
from fastapi.testclient import TestClient
from hypothesis import example, given
from hypothesis import strategies as st
from pydantic import ValidationError
from stdnum.fr import nir as stdnum_nir

from sandbox.apis.recherche_usager.schemas import ParDateNaissanceEtNir

CONTRACT = Path(__file__).resolve().parents[3] / "contracts/openapi/rechercher-usager-v2.json"
S001 = ("290036204190175", "1990-03-14")  # persona s001-certifiee
R997 = {
    "codeRetour": "R997",
    "message": "Une erreur de validation s'est produite",
    "topIdentiteCertifiee": None,
    "jetonUsager": None,
}


def _contract_pattern() -> re.Pattern[str]:
    document = json.loads(CONTRACT.read_text(encoding="utf-8"))
    schema = document["components"]["schemas"]["ParDateNaissanceEtNir"]["properties"]["nir"]
    # ECMA-262 ``$`` never matches before a final newline, Python's does: anchor on the whole.
    return re.compile(schema["pattern"].removeprefix("^").removesuffix("$"))


PATTERN = _contract_pattern()


def _with_key(body: str) -> str:
    return body + str(stdnum_nir.calc_check_digits(body))


@pytest.mark.parametrize(
    ("nir", "date_naissance", "why"),
    [
        ("２９００３６２０４１９０１７５", "1990-03-14", "fullwidth digits"),
        ("٢٩٠٠٣٦٢٠٤١٩٠١٧٥", "1990-03-14", "Arabic-Indic digits"),
        ("2 90 03 62 041 901 75", "1990-03-14", "spaces"),
        ("2.90.03.62.041.901.75", "1990-03-14", "dots"),
        ("290036204190175\n", "1990-03-14", "a trailing newline"),
        (_with_key("0900362041901"), "1990-03-14", "first digit 0"),
        (_with_key("3900362041901"), "1990-03-14", "first digit 3"),
        (_with_key("2900062041901"), "1990-03-14", "month 00"),
        (_with_key("2901362041901"), "1990-03-14", "month 13"),
        (_with_key("2904562041901"), "1990-03-14", "month 45"),
        (_with_key("270052A004915"), "1970-05-15", "2A before 1976"),
        (_with_key("270052B004915"), "1970-05-15", "2B before 1976"),
        (_with_key("2800520004915"), "1980-05-15", "20 from 1976 on"),
        (_with_key("280052A004915").lower(), "1980-05-15", "lower-case 2a"),
        ("290036204190176", "1990-03-14", "a wrong key"),
    ],
)
def test_a_nir_no_one_can_carry_is_a_validation_error(
    search_v2: Callable[..., httpx2.Response], nir: str, date_naissance: str, why: str
) -> None:
    response = search_v2(nir, date_naissance)
    assert (response.status_code, response.json()) == (400, R997), why
    assert "NIR" in response.headers["x-sandbox-hint"], why


def test_the_corsican_personas_are_found(search_v2: Callable[..., httpx2.Response]) -> None:
    # fixtures/personas/corse-avant-1976.yaml: born in Ajaccio in 1970, département 20.
    assert search_v2("270052000491519", "1970-05-15").json()["codeRetour"] == "S001"


def _accepted(nir: str, date_naissance: str = "1990-03-14") -> bool:
    try:
        ParDateNaissanceEtNir.model_validate({"nir": nir, "dateNaissance": date_naissance})
    except ValidationError:
        return False
    return True


NIR_ALPHABET = st.sampled_from("0123456789AB ab.２٣\n")


@given(
    text=st.text(NIR_ALPHABET, min_size=11, max_size=17) | st.from_regex(PATTERN, fullmatch=True)
)
@example(text=S001[0])
@example(text=S001[0][:13])
def test_the_route_accepts_a_nir_exactly_when_the_contract_does(text: str) -> None:
    body = text[:13]
    by_contract = PATTERN.fullmatch(text) is not None and (
        len(text) == 13 or text[13:] == str(stdnum_nir.calc_check_digits(body))
    )
    corsica = body[5:7]
    # The birth date 1990 is after 1976: "20" is impossible there, 2A/2B possible.
    expected = by_contract and corsica != "20"
    assert _accepted(text) is expected
    if len(text) == 13 and PATTERN.fullmatch(text) and corsica != "20":
        assert _accepted(_with_key(body))


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded"])
@pytest.mark.parametrize(
    "path",
    [
        "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir",
        "/partenaire/rechercher-usager/v2/usagers/par-numero-francetravail",
    ],
)
def test_a_body_is_json_only_under_a_json_content_type(
    client: TestClient, agent_headers: dict[str, str], path: str, content_type: str | None
) -> None:
    body = {"nir": S001[0], "dateNaissance": S001[1], "numeroFranceTravail": "90000000101"}
    headers = dict(agent_headers)
    if content_type:
        headers["Content-Type"] = content_type
    response = client.post(path, content=json.dumps(body).encode(), headers=headers)
    assert (response.status_code, response.json()) == (400, R997)
    assert response.headers["x-sandbox-hint"].startswith(
        "Send the body as JSON with 'Content-Type: application/json'"
    )
    for accepted in ("application/json", "application/json; charset=utf-8"):
        ok = client.post(
            path, content=json.dumps(body).encode(), headers={**headers, "Content-Type": accepted}
        )
        assert ok.status_code == 200, accepted


@pytest.mark.parametrize(
    "numero", ["９０００００００１０１", "9000000010", "90000000101 ", "٩0000000101"]
)
def test_a_numero_france_travail_is_eleven_ascii_digits(
    client: TestClient, agent_headers: dict[str, str], numero: str
) -> None:
    response = client.post(
        "/partenaire/rechercher-usager/v2/usagers/par-numero-francetravail",
        json={"numeroFranceTravail": numero},
        headers=agent_headers,
    )
    assert (response.status_code, response.json()) == (400, R997)
