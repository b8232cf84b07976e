"""Ingestion: the people of an accepted Annexe 1 file, registered in the uploading client's state.

The one place that knows ingested people. Recherche usager (``search_by_nir``, and so its fast
path) asks ``find_by_nir``, every jeton or identifiant resolution asks ``get``: an ingested
person is then found, read and checked by the one access rule like any other person, for the
client that uploaded the file only.

**Storage.** One state document per client (person key ``DROP_OWNER``, facet ``PEOPLE_FACET``)
holds the ingested rows, at most ``MAX_INGESTED_PEOPLE`` people (README "Limits"). What the
row does not say (numéro France Travail, agence, registration dates, identity certified) is
drawn from the seed and the person key, so the same file gives the same people.

**Keys.** ``d-<client id>-<16 hex>``: the digest is keyed by the seed over (client, NIR body),
so a key names one person of one client without ambiguity, and a NIR gives its key without a
look-up. Generated keys are ``g<index>`` and personas' ``p-<id>``: no overlap.

**Cost for everyone else.** Each client's rows are cached in the process with the store's
``stamp`` (``PRAGMA data_version`` and the process's own write count) and the document's
revision: a search for a client who ingested nobody costs that one pragma (about 3 µs) while
nothing was written, plus one primary-key read after any write. People are built from their
rows on first use, so loading thousands after an upload is one JSON parse.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sandbox.identifiers import full_nir, normalise_nir
from sandbox.population.models import (
    Address,
    Birthplace,
    BirthplaceKind,
    Coded,
    Orientation,
    Person,
    Registration,
    RegistrationStatus,
    RsaFollowUp,
    Sex,
)
from sandbox.population.referentials import Commune, communes, label
from sandbox.randomness import derive_key, derive_rng, derive_seed, weighted_choice
from sandbox.state import StateStore, Update
from sandbox.state.store import StorageLimitError

DROP_OWNER = "_depot"
"""The pseudo person key under which a client's file drop lives in the state store."""
PEOPLE_FACET = "depot-personnes"
KEY_PREFIX = "d-"
MAX_INGESTED_PEOPLE = 5_000
"""People one client may have registered through Annexe 1 files (README "Limits")."""
FT_CATEGORIES = (("1", 0.6), ("2", 0.15), ("3", 0.25))
"""Category weights of a person oriented to France Travail (convention Art. 1: 1, 2 or 3)."""
_PARCOURS = {
    "social": Orientation.SOCIAL,
    "socio_pro": Orientation.SOCIO_PRO,
    "pro": Orientation.PRO,
}


@dataclass(frozen=True, slots=True)
class IngestionSummary:
    """What an Annexe 1 upload registered."""

    registered: int
    already_known: int


def _french_date(text: str) -> dt.date:
    day, month, year = text.split("/")
    return dt.date(int(year), int(month), int(day))


def _departement_of(code_postal: str) -> str:
    """The département of a postal code: 97x/98x overseas, 20 split into 2A/2B (Corsica)."""
    if code_postal.startswith(("97", "98")):
        return code_postal[:3]
    if code_postal.startswith("20"):
        return "2A" if code_postal < "20200" else "2B"
    return code_postal[:2]


@cache
def _by_postal_code() -> dict[str, list[Commune]]:
    table: dict[str, list[Commune]] = {}
    for commune in communes():
        table.setdefault(commune.code_postal, []).append(commune)
    return table


def _commune_code(code_postal: str, ville: str) -> str:
    """The INSEE code of the commune with this postal code (and name, when several share it)."""
    matching = _by_postal_code().get(code_postal, [])
    for commune in matching:
        if commune.nom.casefold() == ville.strip().casefold():
            return commune.code
    return matching[0].code if matching else ""


class IngestedPeople:
    """Registers the people of Annexe 1 files and answers the look-ups of every API."""

    def __init__(self, store: StateStore, seed: int) -> None:
        self._store = store
        self._seed = seed
        self._key = derive_key(seed, "depot-personne")
        self._cache: dict[str, _ClientPeople] = {}

    # Keys -----------------------------------------------------------------------------------

    def key_for(self, client_id: str, nir_body: str) -> str:
        """The person key of an ingested NIR body for one client."""
        digest = hashlib.blake2b(
            f"{client_id}\x1f{nir_body}".encode(), key=self._key, digest_size=8
        ).hexdigest()
        return f"{KEY_PREFIX}{client_id}-{digest}"

    @staticmethod
    def client_of(key: str) -> str | None:
        """The client an ingested person's key belongs to (None for any other key)."""
        if not key.startswith(KEY_PREFIX):
            return None
        client_id, _, digest = key[len(KEY_PREFIX) :].rpartition("-")
        return client_id if client_id and len(digest) == 16 else None

    # Look-ups -------------------------------------------------------------------------------

    def find_by_nir(self, client_id: str, nir_body: str) -> list[Person]:
        """The client's ingested people with this NIR body (none, or one)."""
        people = self._people(client_id)
        if not people.rows:  # the common case: no digest to compute
            return []
        person = self._built(people, self.key_for(client_id, nir_body))
        return [person] if person is not None else []

    def find_by_numero(self, client_id: str, numero: str) -> list[Person]:
        """The client's ingested people with this numéro France Travail (none, or one)."""
        people = self._people(client_id)
        if not people.rows:
            return []
        if people.by_numero is None:
            people.by_numero = {self._numero(key): key for key in people.rows}
        key = people.by_numero.get(numero)
        person = self._built(people, key) if key is not None else None
        return [person] if person is not None else []

    def get(self, key: str, client_id: str | None = None) -> Person | None:
        """The ingested person with this key; None if ``client_id`` is given and not theirs."""
        owner = self.client_of(key)
        if owner is None or (client_id is not None and client_id != owner):
            return None
        return self._built(self._people(owner), key)

    def all(self, client_id: str) -> list[Person]:
        """The client's ingested people, in the order they were registered."""
        people = self._people(client_id)
        return [person for key in people.rows if (person := self._built(people, key))]

    def count(self, client_id: str) -> int:
        """How many people the client registered."""
        return len(self._people(client_id).rows)

    def _people(self, client_id: str) -> _ClientPeople:
        """The client's stored rows, read again only when the state changed since."""
        stamp = self._store.stamp()
        cached = self._cache.get(client_id)
        if cached is not None and cached.stamp == stamp:
            return cached
        revision = self._store.revision(client_id, DROP_OWNER, PEOPLE_FACET)
        if cached is not None and cached.revision == revision:
            cached.stamp = stamp
            return cached
        document = (
            self._store.read(client_id, DROP_OWNER, PEOPLE_FACET) if revision is not None else None
        )
        entry = _ClientPeople(stamp, revision, (document or {}).get("people", {}))
        self._cache[client_id] = entry
        return entry

    def _built(self, people: _ClientPeople, key: str) -> Person | None:
        """The ``Person`` of a stored row, built on first use (a file may hold thousands)."""
        person = people.built.get(key)
        if person is None:
            row = people.rows.get(key)
            if row is None:
                return None
            person = people.built[key] = self._person(key, row)
        return person

    def _numero(self, key: str) -> str:
        """The numéro France Travail of an ingested person: ``9`` + 10 digits from the seed.

        Generated people's start with ``1``: the two never meet.
        """
        return f"9{derive_seed(self._seed, 'depot-numero', key) % 10**10:010d}"

    # Registration ---------------------------------------------------------------------------

    def register(
        self,
        client_id: str,
        upload_id: str,
        rows: Iterable[dict[str, str]],
        known: set[str],
        at: dt.datetime,
    ) -> IngestionSummary:
        """Register the rows of an accepted Annexe 1 file (one state write for the whole file).

        ``known`` holds the NIR bodies the population already knows: those people are France
        Travail's already, so they are counted and left as they are (a second record would make
        Recherche usager answer S003). A person already ingested is replaced by the new row.
        Raises ``StorageLimitError`` (409) past ``MAX_INGESTED_PEOPLE``; nothing is stored then.
        """
        fresh: dict[str, dict[str, Any]] = {}
        already = 0
        for row in rows:
            body = normalise_nir(row["NIR"])
            if body in known:
                already += 1
                continue
            fresh[self.key_for(client_id, body)] = {
                "nir": full_nir(body),
                "upload": upload_id,
                **{name: row.get(name) or "" for name in _STORED_COLUMNS},
            }

        def apply(current: dict[str, Any] | None) -> Update:
            people = dict((current or {}).get("people", {}))
            people.update(fresh)
            if len(people) > MAX_INGESTED_PEOPLE:
                raise StorageLimitError("people ingested per client", MAX_INGESTED_PEOPLE)
            # The change records counts only: no name or NIR in the history.
            return Update(
                document={"people": people},
                change={"upload": upload_id, "registered": len(fresh)},
                tags=("ingestion",),
            )

        if fresh:
            self._store.update(client_id, DROP_OWNER, PEOPLE_FACET, at, apply)
        return IngestionSummary(registered=len(fresh), already_known=already)

    def _person(self, key: str, row: dict[str, Any]) -> Person:
        """A ``Person`` from a stored row; what the row does not say is drawn from the seed."""
        rng = derive_rng(self._seed, "depot-personne", key)
        nir: str = row["nir"]
        body = nir[:13]
        sex = Sex.MALE if row["SEXE"] == "1" else Sex.FEMALE
        place = body[5:10]
        abroad = place.startswith("99")
        birthplace = Birthplace(
            code=place,
            libelle="",
            kind=BirthplaceKind.ETRANGER
            if abroad
            else BirthplaceKind.CORSE
            if place.startswith("2A") or place.startswith("2B")
            else BirthplaceKind.OUTRE_MER
            if place.startswith("97")
            else BirthplaceKind.METROPOLE,
        )
        departement = _departement_of(row["CODE_POSTAL"])
        address = Address(
            ligne=row["ADRESSE"],
            code_postal=row["CODE_POSTAL"],
            commune_code=_commune_code(row["CODE_POSTAL"], row["VILLE"]),
            commune_nom=row["VILLE"],
            departement=departement,
        )
        orientation = _PARCOURS.get(row["TYPE_PARCOURS"], Orientation.SOCIAL)
        to_ft = row["ORIENTATION"] == "FT"
        structure = (
            Coded("FT", "France Travail")
            if to_ft
            else Coded(f"CD{departement}", f"Conseil départemental ({departement})")
        )
        oriented_on = _french_date(row["DATE_ORIENTATION"])
        # Convention Art. 1: oriented to France Travail → category 1, 2 or 3; otherwise 5.
        category = weighted_choice(rng, FT_CATEGORIES) if to_ft else "5"
        motif = "14"
        situation = "SAN"
        registration = Registration(
            status=RegistrationStatus.INSCRIT,
            status_date=oriented_on,
            registered_on=oriented_on,
            ended_on=None,
            category=Coded(category, label("categories_inscription", category)),
            reason=Coded(motif, label("motifs_inscription", motif)),
            employment_situation=Coded(situation, label("situations_regard_emploi", situation)),
            closure_reason=None,
        )
        return Person(
            key=key,
            nir=nir,
            nia=body[0] in "78",
            sex=sex,
            last_name=row["NOM"],
            first_name=row["PRENOM"],
            birth_date=_french_date(row["DATE_NAISSANCE"]),
            birth_month_known=True,
            birthplace=birthplace,
            numero_france_travail=self._numero(key),
            identity_certified=True,
            address=address,
            safir_agency=(departement + f"{rng.randrange(1000):03d}")[:5],
            # An Annexe 1 file lists RSA beneficiaries, by definition.
            rsa=RsaFollowUp(
                beneficiary=True, orientation=orientation, referent_structure=structure
            ),
            registration=registration,
        )


_STORED_COLUMNS = (
    "SEXE",
    "NOM",
    "PRENOM",
    "DATE_NAISSANCE",
    "ADRESSE",
    "CODE_POSTAL",
    "VILLE",
    "ORIENTATION",
    "TYPE_PARCOURS",
    "DATE_ORIENTATION",
    "DATE_ENTREE_RSA",
)


@dataclass(slots=True)
class _ClientPeople:
    stamp: tuple[int, int]
    revision: tuple[int, int] | None
    rows: dict[str, dict[str, Any]]
    built: dict[str, Person] = field(default_factory=dict)
    by_numero: dict[str, str] | None = None
