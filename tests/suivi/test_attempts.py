"""Sign-in throttling of the Suivi de parcours pages (RFC 6238 §5.2, RFC 4226 §7.3).

README "Limits": after 5 wrong codes in a row, the account's code step is locked for 15 minutes
of the virtual clock, with a French message (role=alert) saying when to retry, and the lock is
in the audit trail; a right code clears the count. The same for 5 wrong passwords in a row.
Counters are stored state: another instance on the data directory sees the lock.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest
from fastapi.testclient import TestClient

from sandbox import Settings, create_app
from sandbox.clock import ControlledClock
from tests.browser import ROOT

SAMPLE = ROOT / "fixtures" / "files" / "valid" / "annexe3-habilitations.csv"
ACTIVE = "nicolas.martin.1@pasdecalais.fr"
ADMIN = {"Authorization": "Bearer adm"}
P = "/suivi-de-parcours"
START = dt.datetime(2025, 1, 15, 10, 0, tzinfo=dt.UTC)
ATTEMPTS = 5  # README "Limits"
LOCK = dt.timedelta(minutes=15)  # README "Limits"
ALERT = re.compile(r'<div class="alerte erreur" role="alert" id="erreur"><p>(.*?)</p>', re.S)


def _app(data_dir: Path, mfa: str) -> TestClient:
    settings = Settings(
        data_dir=data_dir,
        secret_key="k",
        admin_token="adm",
        habilitations=SAMPLE,
        suivi_mfa=mfa,
    )
    client = TestClient(create_app(settings, ControlledClock()), follow_redirects=False)
    return client


def _set_clock(client: TestClient, instant: dt.datetime) -> None:
    command = {"action": "set", "instant": instant.isoformat()}
    assert client.post("/_sandbox/clock", json=command, headers=ADMIN).status_code == 200
    assert (
        client.post("/_sandbox/clock", json={"action": "freeze"}, headers=ADMIN).status_code == 200
    )


def _advance(client: TestClient, delta: dt.timedelta) -> None:
    command = {"action": "advance", "seconds": delta.total_seconds()}
    assert client.post("/_sandbox/clock", json=command, headers=ADMIN).status_code == 200


@pytest.fixture
def mfa(tmp_path: Path) -> Iterator[TestClient]:
    with _app(tmp_path, "required") as client:
        _set_clock(client, START)
        yield client


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([A-Za-z0-9_-]+)"', html)
    assert found is not None
    return found.group(1)


def _credentials(client: TestClient) -> dict[str, str]:
    listed = client.get("/_sandbox/suivi-de-parcours/comptes", headers=ADMIN).json()
    account: dict[str, str] = next(a for a in listed if a["courriel"] == ACTIVE)
    return account


def _now(client: TestClient) -> dt.datetime:
    return dt.datetime.fromisoformat(client.get("/_sandbox/clock", headers=ADMIN).json()["now"])


def _password(client: TestClient, password: str) -> tuple[int, str]:
    form = client.get(f"{P}/connexion")
    answer = client.post(
        f"{P}/connexion",
        data={"csrf": _csrf(form.text), "courriel": ACTIVE, "mot_de_passe": password},
    )
    return answer.status_code, answer.text


def _code(client: TestClient, right: bool) -> tuple[int, str]:
    secret = _credentials(client)["totp_secret"]
    now = _now(client)
    totp = pyotp.TOTP(secret)
    if right:
        code = totp.at(now)
    else:
        # Not the code of the step before, now, or after (all three are accepted).
        near = {totp.at(now + dt.timedelta(seconds=s)) for s in (-30, 0, 30)}
        code = next(c for c in (f"{n:06d}" for n in range(10**6)) if c not in near)
    page = client.get(f"{P}/connexion/code")
    assert page.status_code == 200, page.text
    answer = client.post(f"{P}/connexion/code", data={"csrf": _csrf(page.text), "code": code})
    return answer.status_code, answer.text


def _alert(html: str) -> str:
    found = ALERT.search(html)
    assert found is not None, html
    return found.group(1).replace("&#39;", "'")


def test_five_wrong_codes_lock_the_code_step_for_15_minutes(mfa: TestClient) -> None:
    assert _password(mfa, _credentials(mfa)["mot_de_passe"])[0] == 303
    for _ in range(ATTEMPTS - 1):
        status, page = _code(mfa, right=False)
        assert status == 401 and _alert(page) == "Code incorrect : connexion refusée."
    status, page = _code(mfa, right=False)
    retry = START + LOCK
    assert status == 429
    assert _alert(page) == (
        "Trop de codes incorrects à la suite : la vérification par code de ce compte est "
        f"bloquée pendant 15 minutes, jusqu'au {retry:%d/%m/%Y} à {retry:%H:%M} (UTC). "
        "Réessayez après cette heure."
    )
    # Even the right code waits for the end of the lock.
    assert _code(mfa, right=True)[0] == 429
    _advance(mfa, LOCK - dt.timedelta(seconds=1))
    assert _code(mfa, right=True)[0] == 429
    _advance(mfa, dt.timedelta(seconds=1))
    assert _code(mfa, right=True)[0] == 303
    assert mfa.get(f"{P}/recherche").status_code == 200


def test_the_lock_is_in_the_audit_trail(mfa: TestClient) -> None:
    _password(mfa, _credentials(mfa)["mot_de_passe"])
    for _ in range(ATTEMPTS):
        _code(mfa, right=False)
    trail = mfa.get("/_sandbox/suivi-de-parcours/audit", headers=ADMIN).json()
    locks = [e for e in trail if e["action"] == "verrouillage"]
    assert len(locks) == 1
    assert locks[0]["courriel"] == ACTIVE and locks[0]["nir"] == ""
    # Recorded when the fifth code was refused (the frozen clock moves only by the sandbox's
    # simulated latencies, milliseconds), naming the end of the lock.
    at = dt.datetime.fromisoformat(locks[0]["at"])
    assert START <= at < START + dt.timedelta(seconds=1)
    until = re.search(r"bloquée jusqu'au (\S+)$", locks[0]["detail"])
    assert until is not None
    assert dt.datetime.fromisoformat(until.group(1)) - at == LOCK


def test_a_right_code_clears_the_count(mfa: TestClient) -> None:
    password = _credentials(mfa)["mot_de_passe"]
    _password(mfa, password)
    for _ in range(ATTEMPTS - 1):
        assert _code(mfa, right=False)[0] == 401
    assert _code(mfa, right=True)[0] == 303
    mfa.cookies.clear()
    _password(mfa, password)
    # Four more wrong codes: not five in a row, no lock.
    for _ in range(ATTEMPTS - 1):
        assert _code(mfa, right=False)[0] == 401
    assert _code(mfa, right=True)[0] == 303


def test_five_wrong_passwords_lock_the_sign_in_for_15_minutes(mfa: TestClient) -> None:
    for _ in range(ATTEMPTS - 1):
        assert _password(mfa, "mauvais")[0] == 401
    status, page = _password(mfa, "mauvais")
    assert status == 429 and "Trop de mots de passe incorrects" in _alert(page)
    right = _credentials(mfa)["mot_de_passe"]
    assert _password(mfa, right)[0] == 429
    _advance(mfa, LOCK)
    assert _password(mfa, right)[0] == 303
    # The count starts again after the lock: four wrong ones do not lock.
    mfa.cookies.clear()
    for _ in range(ATTEMPTS - 1):
        assert _password(mfa, "mauvais")[0] == 401
    assert _password(mfa, right)[0] == 303


def test_an_unknown_courriel_is_never_locked(mfa: TestClient) -> None:
    for _ in range(ATTEMPTS + 1):
        form = mfa.get(f"{P}/connexion")
        answer = mfa.post(
            f"{P}/connexion",
            data={"csrf": _csrf(form.text), "courriel": "x@y.fr", "mot_de_passe": "z"},
        )
        assert answer.status_code == 401


def test_another_instance_on_the_data_directory_sees_the_lock(tmp_path: Path) -> None:
    with _app(tmp_path, "required") as first:
        _set_clock(first, START)
        for _ in range(ATTEMPTS):
            _password(first, "mauvais")
        with _app(tmp_path, "required") as second:
            _set_clock(second, START + dt.timedelta(minutes=1))
            assert _password(second, _credentials(second)["mot_de_passe"])[0] == 429
