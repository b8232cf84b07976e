"""Suivi de parcours accounts from Annexe 3 §1.1 files: one per person, valid on the clock."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pyotp
import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from sandbox import Settings, create_app
from sandbox.clock import FrozenClock
from sandbox.errors import BackendError
from sandbox.runtime import Runtime, build_runtime
from sandbox.state.store import StorageLimitError
from sandbox.suivi import MAX_ACCOUNTS, Account, AccountState
from sandbox.suivi.loading import HabilitationFileError
from tests.browser import ROOT

SAMPLE = ROOT / "fixtures" / "files" / "valid" / "annexe3-habilitations.csv"
CD62 = "PAR_ftsandbox_cd62"
CD59 = "PAR_ftsandbox_cd59"
HEADER = SAMPLE.read_text(encoding="utf-8").splitlines()[0]


def _line(courriel: str, debut: str, fin: str = "") -> str:
    return (
        f"MME;DUPONT;Anne;01/02/1980;{courriel};CDI;{debut};{fin};Travailleur social;"
        "Pas-de-Calais;01/01/2024;Responsable;Cheffe de service;chef@pasdecalais.fr;0321212121"
    )


def _file(*lines: str) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode()


def _runtime(tmp_path: Path, at: dt.datetime, **changes: object) -> Runtime:
    settings = Settings(data_dir=tmp_path, **{"secret_key": "k", **changes})  # type: ignore[arg-type]
    return build_runtime(settings, FrozenClock(at))


def test_an_accepted_drop_registers_accounts_valid_on_the_virtual_clock(tmp_path: Path) -> None:
    runtime = _runtime(tmp_path, dt.datetime(2025, 1, 15, 9, tzinfo=dt.UTC))
    upload = runtime.drop.drop(CD62, SAMPLE.read_bytes(), "habilitations.csv")
    assert upload.status == "accepte" and upload.registered == 10
    states = {a.courriel: a.state(runtime.accounts.today()) for a in runtime.accounts.all()}
    # The sample's dates: Claude Pelletier until 02/12/2024, Alexandrie Millet from 10/09/2024.
    assert states["claude.pelletier.0@pasdecalais.fr"] is AccountState.EXPIRED
    assert states["alexandrie.millet.2@pasdecalais.fr"] is AccountState.ACTIVE
    assert {a.client_id for a in runtime.accounts.all()} == {CD62}
    clock = runtime.clock
    assert isinstance(clock, FrozenClock)
    clock.set(dt.datetime(2024, 3, 1, tzinfo=dt.UTC))
    millet = runtime.accounts.get("Alexandrie.Millet.2@PasDeCalais.fr")
    assert millet is not None and millet.state(runtime.accounts.today()) is AccountState.NOT_YET


def test_the_end_date_is_included_and_a_later_file_updates_the_same_account(
    tmp_path: Path,
) -> None:
    runtime = _runtime(tmp_path, dt.datetime(2025, 6, 30, 23, tzinfo=dt.UTC))
    runtime.drop.drop(CD62, _file(_line("anne.dupont@pasdecalais.fr", "01/01/2025")), "a.csv")
    runtime.drop.drop(
        CD62, _file(_line("Anne.Dupont@pasdecalais.fr", "01/01/2025", "30/06/2025")), "b.csv"
    )
    [account] = runtime.accounts.all()
    assert account.fin == dt.date(2025, 6, 30)
    assert account.state(dt.date(2025, 6, 30)) is AccountState.ACTIVE
    assert account.state(dt.date(2025, 7, 1)) is AccountState.EXPIRED


def test_a_refused_file_registers_nobody(tmp_path: Path) -> None:
    runtime = _runtime(tmp_path, dt.datetime(2025, 1, 15, tzinfo=dt.UTC))
    upload = runtime.drop.drop(CD62, _file(_line("pas-un-courriel", "01/01/2025")), "a.csv")
    assert upload.status == "refuse"
    assert runtime.accounts.all() == []


def test_the_setting_file_is_loaded_for_the_default_client(tmp_path: Path) -> None:
    runtime = _runtime(tmp_path, dt.datetime(2025, 1, 15, tzinfo=dt.UTC), habilitations=SAMPLE)
    assert len(runtime.accounts.all()) == 10
    assert {a.client_id for a in runtime.accounts.all()} == {CD62}
    bad = tmp_path / "bad.csv"
    bad.write_bytes(_file(_line("pas-un-courriel", "01/01/2025")))
    with pytest.raises(HabilitationFileError):
        _runtime(tmp_path / "b", dt.datetime(2025, 1, 15, tzinfo=dt.UTC), habilitations=bad)


def test_accounts_are_capped(tmp_path: Path) -> None:
    runtime = _runtime(tmp_path, dt.datetime(2025, 1, 15, tzinfo=dt.UTC))
    rows = [
        {
            "COURRIEL": f"agent{i}@pasdecalais.fr",
            "CIVILITE": "MME",
            "NOM": "DUPONT",
            "PRENOM": "Anne",
            "FONCTION": "Travailleur social",
            "DATE_DEBUT": "01/01/2025",
        }
        for i in range(MAX_ACCOUNTS + 1)
    ]
    with pytest.raises(StorageLimitError):
        runtime.accounts.register(CD62, rows)
    assert runtime.accounts.all() == []
    assert runtime.accounts.register(CD62, rows[:MAX_ACCOUNTS]) == MAX_ACCOUNTS


def test_credentials_are_derived_from_the_instance_secret(tmp_path: Path) -> None:
    one = _runtime(tmp_path / "a", dt.datetime(2025, 1, 15, tzinfo=dt.UTC))
    same = _runtime(tmp_path / "b", dt.datetime(2025, 1, 15, tzinfo=dt.UTC))
    other = _runtime(tmp_path / "c", dt.datetime(2025, 1, 15, tzinfo=dt.UTC), secret_key="x")
    courriel = "anne.dupont@pasdecalais.fr"
    assert one.accounts.password(courriel) == same.accounts.password(courriel.upper())
    assert one.accounts.password(courriel) != other.accounts.password(courriel)
    assert one.accounts.password(courriel) != one.accounts.password("x" + courriel)
    code = pyotp.TOTP(one.accounts.totp_secret(courriel)).at(one.clock.now())
    assert one.accounts.code_matches(courriel, code)
    assert not other.accounts.code_matches(courriel, code)


def test_the_control_plane_lists_and_revokes_accounts(tmp_path: Path) -> None:
    clock = FrozenClock(dt.datetime(2025, 1, 15, tzinfo=dt.UTC))
    settings = Settings(data_dir=tmp_path, secret_key="k", admin_token="adm", habilitations=SAMPLE)
    with TestClient(create_app(settings, clock)) as client:
        admin = {"Authorization": "Bearer adm"}
        assert client.get("/_sandbox/suivi-de-parcours/comptes").status_code == 401
        listed = {
            a["courriel"]: a
            for a in client.get("/_sandbox/suivi-de-parcours/comptes", headers=admin).json()
        }
        martin = listed["nicolas.martin.1@pasdecalais.fr"]
        assert martin["etat"] == "active" and "date_fin" not in martin
        assert listed["claude.pelletier.0@pasdecalais.fr"]["etat"] == "expired"
        assert martin["otpauth_uri"].startswith("otpauth://totp/")
        assert martin["totp_secret"] in martin["otpauth_uri"]
        answer = client.delete(
            "/_sandbox/suivi-de-parcours/comptes/Nicolas.Martin.1@pasdecalais.fr", headers=admin
        )
        assert answer.status_code == 200 and answer.json()["etat"] == "revoked"
        unknown = client.delete(
            "/_sandbox/suivi-de-parcours/comptes/personne@nulle.part", headers=admin
        )
        assert unknown.status_code == 404
        assert unknown.json()["codeErreur"] == "ERR_COMPTE_INCONNU"


def test_unknown_revocation_is_a_backend_error(tmp_path: Path) -> None:
    runtime = _runtime(tmp_path, dt.datetime(2025, 1, 15, tzinfo=dt.UTC))
    with pytest.raises(BackendError):
        runtime.accounts.revoke("personne@nulle.part")


@given(
    debut=st.dates(dt.date(2000, 1, 1), dt.date(2040, 1, 1)),
    length=st.none() | st.integers(0, 4000),
    day=st.dates(dt.date(1999, 1, 1), dt.date(2052, 1, 1)),
)
def test_an_account_is_active_exactly_between_its_dates(
    debut: dt.date, length: int | None, day: dt.date
) -> None:
    fin = None if length is None else debut + dt.timedelta(days=length)
    account = Account(
        "a@b.fr", CD62, "MME", "DUPONT", "Anne", "Travailleur social", debut, fin, None
    )
    within = debut <= day and (fin is None or day <= fin)
    assert (account.state(day) is AccountState.ACTIVE) == within
    revoked = dataclasses.replace(account, revoked_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    assert revoked.state(day) is AccountState.REVOKED
