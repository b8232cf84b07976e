"""No drop listing, stored report, detail or log line holds a full NIR or a full name (property).

The names are drawn with a prefix (``ZQX``/``Zqx``) no text of the sandbox contains, so that
finding one anywhere can only mean it leaked from the uploaded file.
"""

from __future__ import annotations

import datetime as dt
import json
import logging

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.filedrop.ingestion import DROP_OWNER
from sandbox.runtime import Runtime
from tests.conftest import request_token
from tests.filedrop.builders import annexe1, person

DEPOTS = "/depot-fichiers/v1/depots"
CLIENT_ID = "PAR_ftsandbox_cd62"
_LETTERS = st.text(alphabet="ABCDEFGHIJKLMNOPRSTUVWY", min_size=3, max_size=10)
BREAKS = ("none", "nir-key", "formula-name", "long-name", "bad-date", "ragged")


def _break(content: bytes, nir: str, nom: str, how: str) -> bytes:
    text = content.decode("utf-8")
    if how == "nir-key":
        wrong = f"{(int(nir[13:]) % 97) + 1:02d}"
        text = text.replace(nir, nir[:13] + wrong)
    elif how == "formula-name":
        text = text.replace(nom, "=" + nom)
    elif how == "long-name":
        text = text.replace(nom, nom * 12)
    elif how == "bad-date":
        text = text.replace(nom + ";", nom + ";;", 1)
    elif how == "ragged":
        lines = text.splitlines()
        text = "\n".join([*lines, lines[-1] + ";" + nom]) + "\n"
    return text.encode("utf-8")


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=40)
@given(
    last=_LETTERS,
    first=_LETTERS,
    day=st.dates(min_value=dt.date(1960, 1, 1), max_value=dt.date(2004, 12, 31)),
    sex=st.sampled_from(["1", "2"]),
    how=st.sampled_from(BREAKS),
)
def test_nothing_the_drop_shows_or_logs_holds_a_full_nir_or_name(
    client: TestClient,
    runtime: Runtime,
    caplog: pytest.LogCaptureFixture,
    last: str,
    first: str,
    day: dt.date,
    sex: str,
    how: str,
) -> None:
    nom, prenom = f"ZQX{last}", f"Zqx{first.lower()}"
    cells = person(runtime.population, nom, prenom, day, sex=sex)
    content = _break(annexe1(runtime.population, [cells]).to_csv(), cells["NIR"], nom, how)
    bearer = {"Authorization": f"Bearer {request_token(client)}"}
    with caplog.at_level(logging.DEBUG):
        created = client.post(DEPOTS, content=content, params={"nom": "a1.csv"}, headers=bearer)
        assert created.status_code == 201, created.text
        upload_id = created.json()["id"]
        shown = [
            created.text,
            client.get(DEPOTS, headers=bearer).text,
            client.get(f"{DEPOTS}/{upload_id}", headers=bearer).text,
            json.dumps(
                runtime.store.read(CLIENT_ID, DROP_OWNER, f"depot-rapport:{upload_id}"),
                ensure_ascii=False,
            ),
            json.dumps(
                runtime.store.read(CLIENT_ID, DROP_OWNER, "depot-index"), ensure_ascii=False
            ),
        ]
        history = runtime.store.history(CLIENT_ID, DROP_OWNER, "depot-personnes", per_page=100)
        shown += [json.dumps(change, ensure_ascii=False) for _, change in history.items]
        # The download is the client's own file, as dropped: the one place the values are.
        download = client.get(f"{DEPOTS}/{upload_id}/contenu", headers=bearer).text
        assert cells["NIR"][:13] in download and nom in download
        client.delete(f"{DEPOTS}/{upload_id}", headers=bearer)
    shown += [record.getMessage() for record in caplog.records]
    nir = cells["NIR"]
    for text in shown:
        assert nir[:13] not in text
        assert nom not in text and prenom not in text
