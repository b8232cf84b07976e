"""The README's tour works verbatim against a real `ft-sandbox serve`, and its logs stay clean."""

from __future__ import annotations

import json
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.servers import free_port, running

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    env = {"FT_SANDBOX_DATA_DIR": str(log.parent / "data"), "FT_SANDBOX_ACCESS_LOG": "true"}
    with running(["-m", "sandbox", "serve", "--port", str(port)], log, env, port) as base:
        yield base, log


def _tour() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## A ten-line tour", 1)[1]
    block = re.search(r"```bash\n(.*?)```", section, re.DOTALL)
    assert block is not None
    return block.group(1)


def test_the_tour_is_ten_lines_and_ends_with_a_status(server: tuple[str, Path]) -> None:
    base, log = server
    tour = _tour()
    assert len(tour.strip().splitlines()) <= 10
    script = tour.replace("http://127.0.0.1:8080", base)
    result = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    body = json.loads(result.stdout)
    assert body["m_contrat"]["m_statut"] == "Inscrit"

    httpx.get(f"{base}/partenaire/inconnue?nir=290036204190175", timeout=5)
    time.sleep(0.2)
    logged = log.read_text()
    assert "rechercher-usager/v2/usagers/par-datenaissance-et-nir" in logged
    for secret in ("290036204190175", "2900362041901", "ftsandbox-secret-cd62", "eyJ2ZXJz"):
        assert secret not in logged
    assert "2900362" in logged
