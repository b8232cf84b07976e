"""Diagnostics domain: référentiel, generated dossiers, coded writes, per-client persisted state."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sandbox.clock import FrozenClock
from sandbox.diagnostics import Agent, DiagnosticService, HistoryKind, referentiel
from sandbox.diagnostics.baseline import baseline
from sandbox.diagnostics.commands import (
    AutonomieWrite,
    BesoinsWrite,
    ContraintesWrite,
    ContrainteWrite,
    DiagnosticWrite,
    DossierWrite,
    ObjectifWrite,
    SituationWrite,
)
from sandbox.diagnostics.models import (
    BesoinValeur,
    CodeSousTypologie,
    CodeTypologie,
    ContrainteValeur,
    Dossier,
    Impact,
    ObjectifValeur,
    Reponse,
    SituationValeur,
    StatutDiagnostic,
)
from sandbox.diagnostics.writes import Editor
from sandbox.errors import BackendError
from sandbox.population import Population
from sandbox.population.models import RegistrationStatus
from sandbox.state import StateStore

SEED = 2024253
EPOCH = dt.date(2026, 1, 1)
NOW = dt.datetime(2026, 11, 28, 9, 30, tzinfo=dt.UTC)
AGENT = Agent(identifiant="jdup0001", nom="DUPONT", prenom="Jeanne", structure="CD 62")
POPULATION = Population(SEED, 500, EPOCH)


def _editor(dossier: Dossier | None = None) -> Editor:
    return Editor(dossier or Dossier(), AGENT, NOW, referentiel(), lambda n: f"id-{n}")


def _contraintes(
    *contraintes: ContrainteWrite,
    situations: tuple[SituationWrite, ...] = (),
    objectifs: tuple[ObjectifWrite, ...] = (),
) -> ContraintesWrite:
    return ContraintesWrite(NOW, list(contraintes), list(situations), list(objectifs))


def test_the_referentiel_has_the_published_codes() -> None:
    ref = referentiel()
    besoins = [b.code for t in ref.thematiques_besoins for b in t.besoins]
    assert [t.code for t in ref.thematiques_besoins] == ["1", "2", "3", "4", "5", "6"]
    assert besoins == [str(n) for n in range(1, 22)]
    assert [c.code for c in ref.contraintes] == [str(n) for n in range(22, 30)]
    assert ref.contrainte_of_situation("2305") == "23"
    assert ref.contrainte_of_objectif("29") == "23"
    assert {(a.confiance, a.accompagnement) for a in ref.analyses} == {
        (c.value, a.value) for c in Reponse for a in Reponse
    }


@pytest.mark.parametrize(
    ("name", "enum"),
    [
        ("besoin", BesoinValeur),
        ("contrainte", ContrainteValeur),
        ("situation", SituationValeur),
        ("objectif", ObjectifValeur),
        ("impact", Impact),
        ("pouvoir_agir", Reponse),
    ],
)
def test_value_lists_of_the_data_file_are_the_enums(name: str, enum: type[StrEnum]) -> None:
    assert list(referentiel().valeurs[name]) == [member.value for member in enum]


def test_a_label_two_appellations_share_names_the_lowest_code_or_that_of_the_rome() -> None:
    ref = referentiel()
    label = "Technicien / Technicienne d'études instrumentaliste"  # 19965 H1208, 488675 I1602
    found = ref.metier_by_libelle(label)
    assert found is not None and (found.code, found.code_rome) == ("19965", "H1208")
    in_rome = ref.metier_by_libelle(label, "I1602")
    assert in_rome is not None and in_rome.code == "488675"
    assert ref.metier_by_libelle(label, "K2204") is None


@given(st.integers(min_value=0, max_value=499))
def test_a_generated_dossier_is_a_pure_coded_function_of_the_person(index: int) -> None:
    person = POPULATION.generated(index)
    dossier = baseline(SEED, person, EPOCH)
    assert dossier == baseline(SEED, person, EPOCH)
    ref = referentiel()
    if person.registration.status is RegistrationStatus.IDENTIFIE:
        assert dossier.is_empty()
    if person.registration.status is RegistrationStatus.INSCRIT:
        assert dossier.diagnostics and dossier.diagnostics[0].prioritaire
    for diagnostic in dossier.diagnostics:
        metier = ref.metier(diagnostic.code_appellation or "")
        assert metier is not None and metier.libelle == diagnostic.nom_metier
        assert set(diagnostic.besoins) <= {
            b.code for t in ref.besoins_diagnostic for b in t.besoins
        }
    if dossier.contraintes:
        assert sum(c.prioritaire for c in dossier.contraintes.items.values()) <= 1
        for code, contrainte in dossier.contraintes.items.items():
            assert {ref.contrainte_of_situation(s) for s in contrainte.situations} <= {code}


def test_some_generated_people_have_no_dossier_and_others_several_diagnostics() -> None:
    dossiers = [baseline(SEED, POPULATION.generated(i), EPOCH) for i in range(200)]
    assert any(d.is_empty() for d in dossiers)
    assert any(len(d.diagnostics) >= 2 for d in dossiers)
    assert any(d.pouvoir_agir for d in dossiers) and any(d.autonomie for d in dossiers)


@pytest.mark.parametrize(
    "write",
    [
        DiagnosticWrite(nom_metier="Boulanger passionné"),
        DiagnosticWrite(code_appellation="99999"),
        DiagnosticWrite(code_appellation="11450", nom_metier="Soigneur"),
        DiagnosticWrite(code_appellation="11450", code_rome="H2804"),
        DiagnosticWrite(code_rome="Z9999"),
        DiagnosticWrite(id_metier_chiffre="mon métier"),
        DiagnosticWrite(code_typologie=CodeTypologie.MR, code_sous_typologie=CodeSousTypologie.C),
        DiagnosticWrite(),
    ],
)
def test_diagnostic_writes_refuse_free_text_and_unknown_codes(write: DiagnosticWrite) -> None:
    with pytest.raises(BackendError) as refused:
        _editor().create_diagnostic(write)
    assert (refused.value.http_status, refused.value.code) == (400, "ERR_DONNEE_INCORRECTE")


def test_nom_metier_is_the_appellation_label_filled_in_when_omitted() -> None:
    editor = _editor()
    by_code = editor.create_diagnostic(DiagnosticWrite(code_appellation="11450"))
    by_label = editor.create_diagnostic(DiagnosticWrite(nom_metier="Etalagiste"))
    assert (by_code.code_rome, by_code.nom_metier) == ("A1501", "Auxiliaire de soins aux animaux")
    assert (by_label.code_rome, by_label.code_appellation) == ("B1301", "14896")
    assert by_code.id_metier_chiffre == "API_PARTENAIRE" and by_code.created_by_partner


def _refused(change: Callable[[Editor], object], dossier: Dossier | None = None) -> str:
    with pytest.raises(BackendError) as refused:
        change(_editor(dossier))
    assert refused.value.http_status == 400
    return refused.value.hint


def test_situations_need_their_contrainte_abordee() -> None:
    hint = _refused(
        lambda e: e.record_contraintes(
            _contraintes(situations=(SituationWrite("7", SituationValeur.OUI),))
        )
    )
    assert "contrainte 23" in hint
    editor = _editor()
    editor.record_contraintes(
        _contraintes(
            ContrainteWrite("23", ContrainteValeur.OUI),
            situations=(SituationWrite("7", SituationValeur.OUI),),
            objectifs=(ObjectifWrite("29", ObjectifValeur.EN_COURS),),
        )
    )
    assert editor.dossier.contraintes is not None
    contrainte = editor.dossier.contraintes.items["23"]
    assert contrainte.situations["7"].valeur is SituationValeur.OUI
    assert contrainte.objectifs["29"].agent == AGENT


@pytest.mark.parametrize(
    "write",
    [
        _contraintes(),
        _contraintes(ContrainteWrite("99", ContrainteValeur.OUI)),
        _contraintes(ContrainteWrite("22", ContrainteValeur.OUI)),
        _contraintes(ContrainteWrite("23", ContrainteValeur.SUPPRIMEE)),
        _contraintes(
            ContrainteWrite("23", ContrainteValeur.OUI, prioritaire=True),
            ContrainteWrite("24", ContrainteValeur.OUI, prioritaire=True),
        ),
        _contraintes(
            ContrainteWrite("23", ContrainteValeur.OUI),
            situations=(SituationWrite("9", SituationValeur.OUI),),
        ),
        _contraintes(
            ContrainteWrite("23", ContrainteValeur.OUI),
            situations=(SituationWrite("7", SituationValeur.OUI, contrainte="24"),),
        ),
    ],
)
def test_contraintes_writes_are_checked_against_the_referentiel(write: ContraintesWrite) -> None:
    _refused(lambda e: e.record_contraintes(write))


def test_contrainte_22_written_with_the_thematique_goes_to_the_autonomie_numerique() -> None:
    editor = _editor()
    editor.record_contraintes(
        _contraintes(
            ContrainteWrite("22", ContrainteValeur.OUI, prioritaire=True),
            situations=(SituationWrite("46", SituationValeur.OUI),),
        ),
        numerique=True,
    )
    assert editor.dossier.contraintes is None and editor.version.contraintes is None
    assert editor.dossier.autonomie is not None and editor.dossier.autonomie.contrainte
    assert editor.dossier.autonomie.contrainte.situations["46"].valeur is SituationValeur.OUI
    change = editor.version.autonomie
    assert change is not None and change.contrainte is not None
    assert (change.contrainte.code, [s.code for s in change.situations]) == ("22", ["46"])
    _refused(
        lambda e: e.record_contraintes(
            _contraintes(
                ContrainteWrite("22", ContrainteValeur.OUI, prioritaire=True),
                ContrainteWrite("23", ContrainteValeur.OUI, prioritaire=True),
            ),
            numerique=True,
        )
    )


def test_one_dossier_write_completes_the_autonomie_change_of_its_parts() -> None:
    editor = _editor()
    created = editor.create_diagnostic(DiagnosticWrite(code_appellation="13782"))
    editor.record_dossier(
        DossierWrite(
            besoins=[BesoinsWrite(created.id, NOW, [("7", BesoinValeur.BESOIN)])],
            autonomie=AutonomieWrite(NOW, contrainte=ContrainteWrite("22", ContrainteValeur.OUI)),
        )
    )
    change = editor.version.autonomie
    assert change is not None and change.besoin is not None and change.contrainte is not None
    assert (change.besoin.code, change.contrainte.code) == ("7", "22")
    assert not created.besoins and not editor.version.besoins


def test_a_new_priority_moves_from_the_previous_contrainte() -> None:
    editor = _editor()
    editor.record_contraintes(_contraintes(ContrainteWrite("23", ContrainteValeur.OUI, True)))
    editor.record_contraintes(_contraintes(ContrainteWrite("25", ContrainteValeur.OUI, True)))
    assert editor.dossier.contraintes is not None
    items = editor.dossier.contraintes.items
    assert (items["23"].prioritaire, items["25"].prioritaire) == (False, True)


def test_deleted_diagnostics_stay_readable_but_cannot_be_modified() -> None:
    editor = _editor()
    created = editor.create_diagnostic(DiagnosticWrite(code_appellation="11450"))
    editor.delete(created.id)
    assert editor.dossier.diagnostics[0].statut is StatutDiagnostic.SUPPRIME
    _refused(
        lambda e: e.modify_diagnostic(created.id, DiagnosticWrite(code_appellation="10899")),
        editor.dossier,
    )


def test_writes_persist_per_client_and_survive_a_restart(tmp_path: Path) -> None:
    person = next(
        POPULATION.generated(i)
        for i in range(500)
        if not baseline(SEED, POPULATION.generated(i), EPOCH).is_empty()
    )
    clock = FrozenClock(NOW)
    service = DiagnosticService(StateStore(tmp_path / "s.sqlite3"), SEED, EPOCH, clock)
    service.edit("cd62", person, AGENT, lambda e: e.record_pouvoir_agir(Reponse.OUI, Reponse.NON))
    restarted = DiagnosticService(StateStore(tmp_path / "s.sqlite3"), SEED, EPOCH, clock)
    pouvoir = restarted.dossier("cd62", person).pouvoir_agir
    assert pouvoir is not None and (pouvoir.confiance, pouvoir.agent) == (Reponse.OUI, AGENT)
    assert restarted.dossier("cd59", person) == baseline(SEED, person, EPOCH)
    assert restarted.versions("cd62", person, HistoryKind.POUVOIR_AGIR).total == 1
    assert restarted.versions("cd59", person, HistoryKind.POUVOIR_AGIR).total == 0


def test_a_refused_write_stores_nothing(tmp_path: Path) -> None:
    person = POPULATION.generated(0)
    service = DiagnosticService(StateStore(tmp_path / "s.sqlite3"), SEED, EPOCH, FrozenClock(NOW))
    with pytest.raises(BackendError):
        service.edit("cd62", person, AGENT, lambda e: e.record_contraintes(_contraintes()))
    assert service.versions("cd62", person, HistoryKind.DOSSIER).total == 0


def test_hints_never_echo_raw_client_input() -> None:
    hint = _refused(
        lambda e: e.create_diagnostic(DiagnosticWrite(code_appellation="\x0b\n<é>\x00" * 5))
    )
    assert hint.isascii() and hint.isprintable()
