"""The bare reference: FastAPI + uvicorn, one worker, one static endpoint per compared route.

Without configuration it serves the S001 answer of Rechercher usager v2 (same fields, same size
as the sandbox's; the jeton is one the sandbox issued: opaque and meaningless here). When
``BENCH_REFERENCE_ANSWERS`` names a JSON file (``python -m bench`` writes it), it serves instead,
on each method and path of that file, the status and JSON body the sandbox gave to the first
request of the scenario: the same JSON, returned by a bare endpoint that reads nothing from the
request. Each endpoint returns the decoded JSON value, so FastAPI serialises it on every call
(``jsonable_encoder`` then ``json.dumps``) as it would any handler's ``dict``: its cost grows
with the body's size, as the sandbox's does. It is the cheapest an endpoint of this framework
can be while answering the same JSON.
Serve it with ``uvicorn bench.reference_app:app --workers 1 --no-access-log``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Response

RECHERCHE_V2_PATH = "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir"
ANSWERS_VARIABLE = "BENCH_REFERENCE_ANSWERS"

S001: dict[str, Any] = {
    "codeRetour": "S001",
    "message": "Usager trouvé",
    "topIdentiteCertifiee": "O",
    "jetonUsager": (
        "eyJ2ZXJzIjoiMC4xIiwidXVpZCI6IjA1N2Y5YjQ1LWRjY2MtNDEyOC04ZjYzLTg0OTRmZjhlMjM3OSIsImV4cGly"
        "ZSI6MTc5NTkyMTkyMzg0NywidHlwZSI6Ii9wYXJ0ZW5haXJlIiwiZGF0YSI6IjNhOWVkNTU4LTQyOGQtNGZmZC04"
        "MWJmLTM5MjFiNGQ5MjNkYiNBbDVoUmdTSzRLQmFScUpTZnlYWFNLS3VhMGZQSlVHMm5MWVR1VU9RRWFmdksya0xZ"
        "bGFacjdDN3p3Y091amxWX2MzcUxlOTlvWHNpcGZtMThVZnBVaktQZ1pEazZPVTB0NzJsWXMzV1FFOUlDYzhzMjQy"
        "R0tEUzRGdnhJVVo3dW1walcwbXR2TkZJVkNhT3l4eHJiX2U5akJiTjZBaEhBekZKbnNFMTc4UDgifQ=="
    ),
    "numeroFranceTravail": "90000000101",
}


@dataclass(frozen=True)
class Answer:
    """What the reference answers on one method and (decoded) path."""

    method: str
    path: str
    status: int
    body: Any  # the decoded JSON value; None for a body-less answer (204)

    def as_dict(self) -> dict[str, Any]:
        """The JSON form written to ``BENCH_REFERENCE_ANSWERS``."""
        return {"method": self.method, "path": self.path, "status": self.status, "body": self.body}


DEFAULT_ANSWERS = (Answer("POST", RECHERCHE_V2_PATH, 200, S001),)


def load_answers(environ: dict[str, str] | None = None) -> tuple[Answer, ...]:
    """The answers named by ``BENCH_REFERENCE_ANSWERS``, or the S001 search answer."""
    name = (os.environ if environ is None else environ).get(ANSWERS_VARIABLE)
    if not name:
        return DEFAULT_ANSWERS
    rows = json.loads(Path(name).read_text(encoding="utf-8"))
    return tuple(Answer(r["method"], r["path"], r["status"], r["body"]) for r in rows)


def _endpoint(answer: Answer) -> Callable[[], Awaitable[Any]]:
    if answer.body is None:

        async def empty() -> Response:
            return Response(status_code=answer.status)

        return empty

    async def constant() -> Any:
        return answer.body

    return constant


def build_app(answers: tuple[Answer, ...]) -> FastAPI:
    """One static route per answer (the first answer of a method and path wins)."""
    reference = FastAPI(title="bench reference")
    seen: set[tuple[str, str]] = set()
    for answer in answers:
        if (answer.method, answer.path) in seen:
            continue
        seen.add((answer.method, answer.path))
        reference.add_api_route(
            answer.path,
            _endpoint(answer),
            methods=[answer.method],
            status_code=answer.status,
        )
    return reference


app = build_app(load_answers())
