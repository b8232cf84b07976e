"""Privacy: NIRs are masked to 7 characters, credentials never reach a log line."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sandbox.population import Population
from sandbox.privacy import ScrubbingFilter, mask_nir, scrub


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
