"""The CI recipes of examples/ci run as written, against a local sandbox, so they cannot rot.

Each recipe's script lines are run in order by bash, in an empty directory, as a CI job would,
with the reference client as FT_CLIENT_COMMAND and one scenario to keep the test short. The
first line (`pip install ft-sandbox`) is the one line not run: the package is already installed
in the environment running the tests, and the machine has no route to a package index.
"""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
RECIPES = ROOT / "examples" / "ci"
REFERENCE_CLIENT = ROOT / "examples" / "clients" / "reference.py"
INSTALL = "pip install ft-sandbox"


def _gitlab() -> tuple[list[str], list[str]]:
    job = yaml.safe_load((RECIPES / "gitlab-ci.yml").read_text())["recette-api-france-travail"]
    artefacts = [*job["artifacts"]["paths"], job["artifacts"]["reports"]["junit"]]
    return job["script"], artefacts


def _github() -> tuple[list[str], list[str]]:
    steps = yaml.safe_load((RECIPES / "github-actions.yml").read_text())["jobs"]["recette"]["steps"]
    lines = [step["run"] for step in steps if "run" in step]
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact"))
    return lines, upload["with"]["path"].split()


@pytest.mark.parametrize("recipe", [_gitlab, _github], ids=["gitlab", "github"])
def test_a_recipe_runs_the_kit_and_leaves_the_reports_it_publishes(
    recipe: object, tmp_path: Path
) -> None:
    lines, artefacts = recipe()  # type: ignore[operator]
    assert lines[0] == INSTALL
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "FT_CLIENT_COMMAND": f"{sys.executable} {REFERENCE_CLIENT}",
        "FT_CONFORMANCE_OPTIONS": "--scenario nominal",
    }
    for line in lines[1:]:
        done = subprocess.run(
            ["bash", "-c", line], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stdout + done.stderr
    for name in artefacts:
        assert (tmp_path / name).is_file(), name
    suites = ET.parse(tmp_path / "rapport-junit.xml").getroot()
    assert [s.get("name") for s in suites.iter("testsuite")] == ["nominal"]
    assert "Procès-verbal de recette" in (tmp_path / "proces-verbal-recette.html").read_text()
