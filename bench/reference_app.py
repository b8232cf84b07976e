"""The bare reference: FastAPI + uvicorn, one worker, a static stub of Rechercher usager v2.

It returns, byte for byte in shape and size, what the sandbox answers for an S001 search (the
jeton is one the sandbox issued: opaque and meaningless here). It reads nothing from the request,
as the static stubs peers serve do, so it is the cheapest an endpoint of this framework can be.
Serve it with ``uvicorn bench.reference_app:app --workers 1 --no-access-log``.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

RECHERCHE_V2_PATH = "/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir"

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

app = FastAPI(title="bench reference")


@app.post(RECHERCHE_V2_PATH)
async def rechercher() -> dict[str, Any]:
    """The S001 answer, whatever was asked."""
    return S001
