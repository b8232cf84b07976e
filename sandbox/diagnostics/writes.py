"""Partner writes applied to a copy of a dossier, each recorded as one ``Version``.

Annexe 3 §1.2 of the convention: partners update the diagnostic "par le biais de cases à cocher.
Aucun champ de texte libre". So every write is checked against the référentiel — codes, values,
ownership of situations and objectifs — and ``nomMetier`` is never free text: it must be the label
of the ROME appellation given (``codeAppellation``), or, without one, the exact label of an
appellation of the ROME 4.0 referential (whose codes are then filled in; of the ``codeRome`` sent,
if any, and the lowest code when two appellations share the label).

A refused write raises ``BackendError`` 400 before anything is stored: the editor works on a copy.
A dossier holds at most ``MAX_DIAGNOSTICS`` diagnostics (deleted ones included); one more is
refused with ``StorageLimitError`` (409).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

from sandbox.diagnostics.commands import (
    API_PARTENAIRE,
    ID_METIER,
    WRITABLE_CONTRAINTE,
    AutonomieWrite,
    BesoinsWrite,
    ContraintesWrite,
    ContrainteWrite,
    DiagnosticWrite,
    DossierWrite,
    ObjectifWrite,
    SituationWrite,
    UnknownDiagnosticError,
    invalid,
    shown,
    utc,
)
from sandbox.diagnostics.models import (
    Agent,
    AutonomieChange,
    AutonomieNumerique,
    BesoinsChange,
    CodeTypologie,
    CodeValeur,
    Contrainte,
    ContrainteChange,
    Contraintes,
    ContraintesChange,
    ContrainteValeur,
    Diagnostic,
    Dossier,
    Explored,
    PouvoirAgir,
    Reponse,
    StatutDiagnostic,
    Version,
)
from sandbox.diagnostics.referentiel import Referentiel
from sandbox.state import StorageLimitError

MAX_DIAGNOSTICS = 100


class Editor:
    """Applies writes to a copy of a dossier and records what changed."""

    def __init__(
        self,
        dossier: Dossier,
        agent: Agent,
        now: dt.datetime,
        ref: Referentiel,
        new_id: Callable[[int], str],
    ) -> None:
        self.dossier = dossier.model_copy(deep=True)
        self.version = Version(agent=agent, at=now)
        self._agent = agent
        self._now = now
        self._ref = ref
        self._new_id = new_id

    # Diagnostics ---------------------------------------------------------------------------

    def create_diagnostic(
        self, write: DiagnosticWrite, prioritaire: bool | None = None
    ) -> Diagnostic:
        """Create a diagnostic (``POST /diagnostics``); returns it with its new idDiagnostic."""
        if write.is_empty():
            raise invalid("The diagnostic to create is empty (EnregistrerDiagnosticDto).")
        if len(self.dossier.diagnostics) >= MAX_DIAGNOSTICS:
            # Deleted diagnostics stay (statut SUPPRIME), so the cap bounds the dossier itself.
            raise StorageLimitError("diagnostics per person", MAX_DIAGNOSTICS)
        diagnostic = Diagnostic(
            id=self._new_id(len(self.dossier.diagnostics)),
            id_metier_chiffre=API_PARTENAIRE,
            updated_at=self._now,
            project_updated_at=self._now,
            created_by_partner=True,
            agent=self._agent,
            prioritaire=bool(prioritaire),
        )
        self._apply(diagnostic, write)
        self.dossier.diagnostics.append(diagnostic)
        self._touched(diagnostic)
        return diagnostic

    def modify_diagnostic(
        self, diagnostic_id: str, write: DiagnosticWrite, prioritaire: bool | None = None
    ) -> Diagnostic:
        """Modify a diagnostic (``PUT /diagnostics/{idDiagnostic}``)."""
        diagnostic = self._existing(diagnostic_id)
        if write.is_empty() and prioritaire is None:
            raise invalid("The diagnostic modification is empty (EnregistrerDiagnosticDto).")
        self._apply(diagnostic, write)
        if prioritaire is not None:
            diagnostic.prioritaire = prioritaire
        diagnostic.agent = self._agent
        self._touched(diagnostic)
        return diagnostic

    def prioritise(self, diagnostic_id: str, prioritaire: bool | None) -> Diagnostic:
        """Set the priority, or toggle it when ``prioritaire`` is None."""
        diagnostic = self._existing(diagnostic_id)
        diagnostic.prioritaire = not diagnostic.prioritaire if prioritaire is None else prioritaire
        diagnostic.agent = self._agent
        self._touched(diagnostic)
        return diagnostic

    def delete(self, diagnostic_id: str) -> Diagnostic:
        """Mark a diagnostic SUPPRIME (it stays readable with that statut)."""
        diagnostic = self.dossier.diagnostic(diagnostic_id)
        if diagnostic is None:
            raise UnknownDiagnosticError(diagnostic_id)
        diagnostic.statut = StatutDiagnostic.SUPPRIME
        diagnostic.agent = self._agent
        diagnostic.updated_at = self._now
        self._touched(diagnostic)
        return diagnostic

    def save_by_metier(
        self,
        id_metier_chiffre: str,
        nom_metier: str | None,
        typologie: str | None,
        create: bool,
    ) -> Diagnostic:
        """The v1 enregistrement: update the diagnostic of an idMetierChiffre (or create it)."""
        code_typologie = None
        if typologie is not None:
            code = self._ref.code_typologie(typologie)
            if code is None:
                raise invalid(f"typologie must be one of {sorted(self._ref.typologies.values())}.")
            code_typologie = CodeTypologie(code)
        write = DiagnosticWrite(nom_metier=nom_metier, code_typologie=code_typologie)
        current = next(
            (
                d
                for d in self.dossier.diagnostics
                if d.id_metier_chiffre == id_metier_chiffre
                and d.statut is not StatutDiagnostic.SUPPRIME
            ),
            None,
        )
        if current is not None:
            return self.modify_diagnostic(current.id, write)
        if not create:
            raise invalid("No diagnostic of this person has this idMetierChiffre.")
        return self.create_diagnostic(
            DiagnosticWrite(
                id_metier_chiffre=id_metier_chiffre,
                nom_metier=nom_metier,
                code_typologie=code_typologie,
            )
        )

    def _touched(self, diagnostic: Diagnostic) -> None:
        # The version lists each diagnostic once, in its state after the whole write.
        if all(d is not diagnostic for d in self.version.diagnostics):
            self.version.diagnostics.append(diagnostic)

    def _existing(self, diagnostic_id: str) -> Diagnostic:
        diagnostic = self.dossier.diagnostic(diagnostic_id)
        if diagnostic is None or diagnostic.statut is StatutDiagnostic.SUPPRIME:
            raise UnknownDiagnosticError(diagnostic_id)
        return diagnostic

    def _apply(self, diagnostic: Diagnostic, write: DiagnosticWrite) -> None:
        project_before = (diagnostic.nom_metier, diagnostic.code_typologie)
        metier_before = (
            diagnostic.id_metier_chiffre,
            diagnostic.code_rome,
            diagnostic.code_appellation,
            diagnostic.code_sous_typologie,
        )
        if write.id_metier_chiffre is not None:
            if not ID_METIER.match(write.id_metier_chiffre):
                raise invalid("idMetierChiffre must be NON_DEFINI or an idMetierChiffre (uuid#…).")
            diagnostic.id_metier_chiffre = write.id_metier_chiffre
        self._apply_metier(diagnostic, write)
        if write.code_typologie is not None:
            diagnostic.code_typologie = write.code_typologie
            diagnostic.typologie = self._ref.typologies[write.code_typologie.value]
        if write.code_sous_typologie is not None:
            diagnostic.code_sous_typologie = write.code_sous_typologie
        if diagnostic.code_sous_typologie and diagnostic.code_typologie is not CodeTypologie.EF:
            raise invalid("codeSousTypologie only applies to codeTypologie EF.")
        if (diagnostic.nom_metier, diagnostic.code_typologie) != project_before:
            diagnostic.project_updated_at = self._now
        if (
            diagnostic.id_metier_chiffre,
            diagnostic.code_rome,
            diagnostic.code_appellation,
            diagnostic.code_sous_typologie,
        ) != metier_before:
            diagnostic.updated_at = self._now

    def _apply_metier(self, diagnostic: Diagnostic, write: DiagnosticWrite) -> None:
        ref = self._ref
        if write.code_appellation is not None:
            metier = ref.metier(write.code_appellation)
            if metier is None:
                raise invalid(
                    f"codeAppellation {shown(write.code_appellation)} is not an appellation of "
                    "ROME 4.0."
                )
            if write.code_rome is not None and write.code_rome != metier.code_rome:
                raise invalid(
                    f"codeAppellation {metier.code} is in the ROME {metier.code_rome}, not "
                    f"{shown(write.code_rome)}."
                )
            if write.nom_metier is not None and write.nom_metier != metier.libelle:
                raise invalid("nomMetier must be the label of the codeAppellation, or omitted.")
        elif write.nom_metier is not None:
            if write.code_rome is not None and ref.rome(write.code_rome) is None:
                raise invalid(f"codeRome {shown(write.code_rome)} is not a ROME 4.0 fiche.")
            metier = ref.metier_by_libelle(write.nom_metier, write.code_rome)
            if metier is None and ref.metier_by_libelle(write.nom_metier) is not None:
                raise invalid("nomMetier does not belong to the codeRome sent.")
            if metier is None:
                raise invalid("nomMetier is not free text: send the label of a ROME appellation.")
        elif write.code_rome is not None:
            if ref.rome(write.code_rome) is None:
                raise invalid(f"codeRome {shown(write.code_rome)} is not a ROME 4.0 fiche.")
            diagnostic.code_rome = write.code_rome
            diagnostic.code_appellation = None
            diagnostic.nom_metier = None
            return
        else:
            return
        diagnostic.code_rome = metier.code_rome
        diagnostic.code_appellation = metier.code
        diagnostic.nom_metier = metier.libelle

    # Besoins -------------------------------------------------------------------------------

    def record_besoins(self, write: BesoinsWrite) -> None:
        """Record besoins explored for one diagnostic.

        Besoin 7 goes to the autonomie numérique: the published DTO takes any besoin of the
        référentiel, and the autonomie numérique is the only resource whose reads show besoin 7.
        """
        diagnostic = self._existing(write.diagnostic_id)
        self._check_besoins(write)
        numerique = self._ref.besoin_numerique
        own = [(code, valeur) for code, valeur in write.besoins if code != numerique]
        explored_at = utc(write.explored_at)
        for code, valeur in own:
            diagnostic.besoins[code] = Explored(valeur=valeur, at=explored_at, agent=self._agent)
        if own:
            diagnostic.besoins_at = explored_at
            diagnostic.besoins_agent = self._agent
            self.version.besoins.append(
                BesoinsChange(
                    diagnostic_id=diagnostic.id,
                    besoins=[CodeValeur(code=c, valeur=v.value) for c, v in own],
                )
            )
        autonomie = [(code, valeur) for code, valeur in write.besoins if code == numerique]
        if autonomie:
            self._autonomie(AutonomieWrite(write.explored_at, besoin=autonomie[-1]))

    def _check_besoins(self, write: BesoinsWrite) -> None:
        if not write.besoins:
            raise invalid("besoinAEnregistrer is empty.")
        for code, _ in write.besoins:
            if self._ref.besoin(code) is None:
                raise invalid(f"Besoin code {shown(code)} is not in the référentiel.")

    # Contraintes and autonomie numérique ---------------------------------------------------

    def record_contraintes(self, write: ContraintesWrite, *, numerique: bool = False) -> None:
        """Record an exploration of contraintes 23–29, their situations and objectifs.

        With ``numerique`` (the v4 routes, whose DTO takes any contrainte of thématique 7),
        contrainte 22 and its situations and objectifs are accepted too and go to the autonomie
        numérique, the only resource whose reads show them; v1 refuses them.
        """
        if not (write.contraintes or write.situations or write.objectifs):
            raise invalid("contraintes, situations and objectifs are all empty.")
        if sum(1 for c in write.contraintes if c.prioritaire) > 1:
            raise invalid("Only one contrainte may be estPrioritaire.")
        autonomie = AutonomieWrite(write.explored_at)
        if numerique:
            write, autonomie = self._numerique_part(write)
        # A write of contrainte 22 alone leaves the thématique (and its date) as it was, unless
        # it also declares something about the other contraintes.
        touched = write.contraintes or write.situations or write.objectifs
        if touched or write.sans_contrainte is not None:
            self._thematique(write)
        if not autonomie.is_empty():
            self._autonomie(autonomie)

    def _numerique_part(self, write: ContraintesWrite) -> tuple[ContraintesWrite, AutonomieWrite]:
        """``write`` without contrainte 22, and contrainte 22's part as an autonomie write."""
        ref = self._ref
        code = ref.contrainte_numerique
        contraintes = [c for c in write.contraintes if c.code == code]
        situations = [s for s in write.situations if ref.contrainte_of_situation(s.code) == code]
        objectifs = [o for o in write.objectifs if ref.contrainte_of_objectif(o.code) == code]
        rest = replace(
            write,
            contraintes=[c for c in write.contraintes if c.code != code],
            situations=[s for s in write.situations if s not in situations],
            objectifs=[o for o in write.objectifs if o not in objectifs],
        )
        autonomie = AutonomieWrite(
            write.explored_at,
            contrainte=contraintes[-1] if contraintes else None,
            situations=situations,
            objectifs=objectifs,
        )
        return rest, autonomie

    def _thematique(self, write: ContraintesWrite) -> None:
        ref = self._ref
        thematique = {c.code for c in ref.contraintes_thematique}
        if any(c.code not in thematique and ref.contrainte(c.code) for c in write.contraintes):
            raise invalid(
                f"Contraintes are {min(thematique)}–{max(thematique)} here; contrainte "
                f"{ref.contrainte_numerique} is written through /autonomienumerique."
            )
        current = self.dossier.contraintes or Contraintes()
        explored_at = utc(write.explored_at)
        change = ContraintesChange(
            contraintes=self._contraintes(current.items, write.contraintes, explored_at)
        )
        change.situations, change.objectifs = self._situations_objectifs(
            write.situations, write.objectifs, current.items, thematique, explored_at
        )
        current.at = explored_at
        current.agent = self._agent
        if write.sans_contrainte is not None:
            current.sans_contrainte = write.sans_contrainte
            current.sans_contrainte_at = explored_at
        self.dossier.contraintes = current
        self.version.contraintes = change

    def record_autonomie(self, write: AutonomieWrite) -> None:
        """Record an exploration of the autonomie numérique (besoin 7, contrainte 22)."""
        if write.is_empty():
            raise invalid("The autonomie numérique to record is empty.")
        self._autonomie(write)

    def _autonomie(self, write: AutonomieWrite) -> None:
        # One write may reach the autonomie numérique through several parts of a dossier, so
        # its change is completed, not replaced.
        ref = self._ref
        autonomie = self.dossier.autonomie or AutonomieNumerique()
        explored_at = utc(write.explored_at)
        change = self.version.autonomie or AutonomieChange()
        if write.besoin is not None:
            code, valeur = write.besoin
            if code != ref.besoin_numerique:
                raise invalid(f"The autonomie numérique besoin is {ref.besoin_numerique}.")
            autonomie.besoin = Explored(valeur=valeur, at=explored_at, agent=self._agent)
            change.besoin = CodeValeur(code=code, valeur=valeur.value)
        numerique = ref.contrainte_numerique
        items = {numerique: autonomie.contrainte} if autonomie.contrainte else {}
        if write.contrainte is not None:
            if write.contrainte.code != numerique:
                raise invalid(f"The autonomie numérique contrainte is {numerique}.")
            change.contrainte = self._contraintes(items, [write.contrainte], explored_at)[0]
        situations, objectifs = self._situations_objectifs(
            write.situations, write.objectifs, items, {numerique}, explored_at
        )
        change.situations.extend(situations)
        change.objectifs.extend(objectifs)
        autonomie.contrainte = items.get(numerique)
        autonomie.at = explored_at
        autonomie.agent = self._agent
        self.dossier.autonomie = autonomie
        self.version.autonomie = change

    def _contraintes(
        self,
        items: dict[str, Contrainte],
        writes: list[ContrainteWrite],
        explored_at: dt.datetime,
    ) -> list[ContrainteChange]:
        if sum(1 for w in writes if w.prioritaire) > 1:
            raise invalid("Only one contrainte may be estPrioritaire.")
        changes = []
        for write in writes:
            if self._ref.contrainte(write.code) is None:
                raise invalid(f"Contrainte code {shown(write.code)} is not in the référentiel.")
            if write.valeur not in WRITABLE_CONTRAINTE:
                raise invalid("A contrainte is written NON_ABORDEE, OUI or CLOTUREE.")
            contrainte = items.get(write.code) or Contrainte(valeur=write.valeur)
            contrainte.valeur = write.valeur
            contrainte.at = explored_at
            if write.impact is not None:
                contrainte.impact = write.impact
            if write.prioritaire:
                self._clear_priorities()
            if write.prioritaire is not None:
                contrainte.prioritaire = write.prioritaire
            items[write.code] = contrainte
            changes.append(
                ContrainteChange(
                    code=write.code,
                    valeur=write.valeur.value,
                    prioritaire=contrainte.prioritaire,
                    impact=contrainte.impact,
                )
            )
        return changes

    def _clear_priorities(self) -> None:
        # One priority across contraintes 22–29: a new one moves it.
        explored = list(self.dossier.contraintes.items.values()) if self.dossier.contraintes else []
        if self.dossier.autonomie and self.dossier.autonomie.contrainte:
            explored.append(self.dossier.autonomie.contrainte)
        for contrainte in explored:
            contrainte.prioritaire = False

    def _situations_objectifs(
        self,
        situations: list[SituationWrite],
        objectifs: list[ObjectifWrite],
        items: dict[str, Contrainte],
        scope: set[str],
        explored_at: dt.datetime,
    ) -> tuple[list[CodeValeur], list[CodeValeur]]:
        ref = self._ref
        for situation in situations:
            owner = ref.contrainte_of_situation(situation.code)
            contrainte = self._abordee(
                "situation", situation.code, owner, situation.contrainte, items, scope
            )
            contrainte.situations[situation.code] = Explored(
                valeur=situation.valeur, at=explored_at, agent=self._agent
            )
        for objectif in objectifs:
            owner = ref.contrainte_of_objectif(objectif.code)
            contrainte = self._abordee(
                "objectif", objectif.code, owner, objectif.contrainte, items, scope
            )
            contrainte.objectifs[objectif.code] = Explored(
                valeur=objectif.valeur, at=explored_at, agent=self._agent
            )
        return (
            [CodeValeur(code=s.code, valeur=s.valeur.value) for s in situations],
            [CodeValeur(code=o.code, valeur=o.valeur.value) for o in objectifs],
        )

    @staticmethod
    def _abordee(
        kind: str,
        code: str,
        owner: str | None,
        nested_under: str | None,
        items: dict[str, Contrainte],
        scope: set[str],
    ) -> Contrainte:
        if owner is None:
            raise invalid(f"{kind} code {shown(code)} is not in the référentiel.")
        if owner not in scope:
            raise invalid(f"{kind} {code} belongs to contrainte {owner}, not written here.")
        if nested_under is not None and nested_under != owner:
            raise invalid(f"{kind} {code} does not belong to contrainte {shown(nested_under)}.")
        contrainte = items.get(owner)
        if contrainte is None or contrainte.valeur is not ContrainteValeur.OUI:
            raise invalid(f"{kind} {code} needs its contrainte {owner} abordée (valeur OUI) first.")
        return contrainte

    # Pouvoir d'agir and dossier ------------------------------------------------------------

    def record_pouvoir_agir(self, confiance: Reponse, accompagnement: Reponse) -> None:
        """Record the two answers of the pouvoir d'agir."""
        pouvoir = PouvoirAgir(
            confiance=confiance, accompagnement=accompagnement, at=self._now, agent=self._agent
        )
        self.dossier.pouvoir_agir = pouvoir
        self.version.pouvoir_agir = pouvoir

    def record_dossier(self, write: DossierWrite) -> None:
        """Record every part of ``EnregistrerDossierDto``, all or nothing.

        Every part is checked first, so a body the référentiel refuses gets its 400 whatever its
        ids; only then does an idDiagnostic unknown to the dossier (or SUPPRIME) raise
        ``UnknownDiagnosticError`` (POST /dossiers answers 204). Either way nothing is stored.
        """
        if write.is_empty():
            raise invalid("EnregistrerDossierDto is empty.")
        unknown: list[str] = []
        for item in write.diagnostics:
            if item.modified_id is None:
                self.create_diagnostic(item.diagnostic, item.prioritaire)
            elif self._known(item.modified_id):
                self.modify_diagnostic(item.modified_id, item.diagnostic, item.prioritaire)
            else:
                self._check_modification(item.diagnostic, item.prioritaire)
                unknown.append(item.modified_id)
        for besoins in write.besoins:
            if self._known(besoins.diagnostic_id):
                self.record_besoins(besoins)
            else:
                self._check_besoins(besoins)
                unknown.append(besoins.diagnostic_id)
        if write.contraintes is not None:
            self.record_contraintes(write.contraintes, numerique=True)
        if write.pouvoir_agir is not None:
            self.record_pouvoir_agir(*write.pouvoir_agir)
        if write.autonomie is not None:
            self.record_autonomie(write.autonomie)
        if unknown:
            raise UnknownDiagnosticError(unknown[0])

    def _known(self, diagnostic_id: str) -> bool:
        diagnostic = self.dossier.diagnostic(diagnostic_id)
        return diagnostic is not None and diagnostic.statut is not StatutDiagnostic.SUPPRIME

    def _check_modification(self, write: DiagnosticWrite, prioritaire: bool | None) -> None:
        # The référentiel's checks of a modification, on a stand-in for a diagnostic the dossier
        # does not have. Its typologie is unknown: EF, the one that admits a sous-typologie.
        if write.is_empty() and prioritaire is None:
            raise invalid("The diagnostic modification is empty (EnregistrerDiagnosticDto).")
        stand_in = Diagnostic(
            id="",
            id_metier_chiffre=API_PARTENAIRE,
            code_typologie=CodeTypologie.EF,
            updated_at=self._now,
        )
        self._apply(stand_in, write)
