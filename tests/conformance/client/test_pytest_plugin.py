"""The pytest plugin, as a département's test suite uses it after `pip install ft-sandbox`.

Each test writes a small test module and runs pytest on it in a subprocess (pytester): the
plugin is found through its entry point, nothing is configured.
"""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

REFERENCE = "examples/clients/reference.py"

CLIENT_TESTS = """
import json, os, subprocess, sys
import httpx
import pytest

CLIENT = {client!r}


def run_client(ft_sandbox, tmp_path, *personas, defect=None):
    people = tmp_path / "personas.json"
    people.write_text(json.dumps(ft_sandbox.personas(*personas)))
    env = {{
        **os.environ,
        "FT_BASE_URL": ft_sandbox.base_url,
        "FT_TOKEN_URL": ft_sandbox.token_url,
        "FT_CLIENT_ID": ft_sandbox.client_id,
        "FT_CLIENT_SECRET": ft_sandbox.client_secret,
        "FT_PERSONAS": str(people),
        "FT_AGENT_NOM": "TEST", "FT_AGENT_PRENOM": "Agent", "FT_AGENT_IDENTIFIANT": "T1",
    }}
    command = [sys.executable, CLIENT] + (["--defect", defect] if defect else [])
    return subprocess.run(command, env=env, capture_output=True, timeout=120).returncode


def test_the_sandbox_answers_a_token(ft_sandbox):
    answer = httpx.post(
        ft_sandbox.token_url,
        params={{"realm": "/agent"}},
        data={{"grant_type": "client_credentials", "client_id": ft_sandbox.client_id,
              "client_secret": ft_sandbox.client_secret,
              "scope": "api_rechercher-usagerv2 rechercheusager profil_accedant"}},
    )
    assert answer.status_code == 200


def test_a_good_batch_is_conformant(ft_sandbox, ft_traffic, tmp_path):
    assert run_client(ft_sandbox, tmp_path, "categorie-2-pro", "statut-aucune-donnee") == 0
    ft_traffic.assert_conformant()
    assert "token-reuse" in ft_traffic.report().rules


@pytest.mark.ft_scenario("quota")
def test_under_the_quota_scenario_the_profile_applies(ft_sandbox, ft_traffic, tmp_path):
    people = ("categorie-2-pro", "categorie-3-pro", "categorie-5-social", "s001-certifiee")
    assert run_client(ft_sandbox, tmp_path, *people) == 0
    assert any(e["status"] == 429 for e in ft_traffic.entries())
    ft_traffic.assert_conformant()


def test_a_broken_batch_fails_with_the_evidence(ft_sandbox, ft_traffic, tmp_path):
    assert run_client(ft_sandbox, tmp_path, "categorie-2-pro", defect="nir-in-query") == 0
    ft_traffic.assert_conformant()
"""


def test_the_plugin_grades_a_test_suites_traffic(pytester: pytest.Pytester) -> None:
    from pathlib import Path

    client = Path(__file__).resolve().parents[3] / REFERENCE
    pytester.makepyfile(test_client=CLIENT_TESTS.format(client=str(client)))
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q")
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*test_a_broken_batch_fails_with_the_evidence*",
            "*no-nir-in-url*",
            "*#* POST /partenaire/rechercher-usager/v2/*",
        ]
    )


def test_an_unknown_scenario_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_x="""
import pytest

@pytest.mark.ft_scenario("pas-un-scenario")
def test_x(ft_traffic):
    pass
"""
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q")
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*unknown scenario 'pas-un-scenario'*"])
