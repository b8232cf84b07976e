"""Errors raised by the domain and rendered, in one place, as each platform family's body.

    SandboxError
    ├── OAuthError          token endpoint: 400 (413 too large) {"error", "error_description"}
    ├── GatewayError        API gateway: 302 / 401 / 403 with an empty body
    ├── RechercheError      Recherche usager: {"codeRetour", "message", …} (R001, R002, R997…)
    ├── BackendError        other APIs: legacy {"codeErreur", "codeHttp", "message"}
    │   ├── ProblemError    APIs publishing RFC 9457 bodies: {"type", "status", "title", "detail"}
    │   └── CodeMessageError  Activités opérationnelles: {"code", "message", "details"}
    └── SpringError         Orientation usager's own refusals: Spring Boot's default
                            {"timestamp", "status", "error", "message", "path"}

Every error carries a ``hint`` for developers, sent as the ``X-Sandbox-Hint`` header (never in the
body, whose shape stays the platform's). Hints never contain personal data.
"""

from __future__ import annotations

from sandbox.convention.return_codes import RETURN_CODES, ReturnCode


class SandboxError(Exception):
    """Base of every error the sandbox renders as a documented response."""

    def __init__(self, http_status: int, hint: str) -> None:
        super().__init__(hint)
        self.http_status = http_status
        self.hint = hint


class OAuthError(SandboxError):
    """An OAuth2 token request refused, with HTTP 400 unless told otherwise (413: too large)."""

    def __init__(self, error: str, description: str, hint: str, http_status: int = 400) -> None:
        super().__init__(http_status, hint)
        self.error = error
        self.description = description


class GatewayError(SandboxError):
    """Refused by the API gateway before reaching the API (token, scope, agent headers)."""

    def __init__(
        self,
        http_status: int,
        hint: str,
        www_authenticate: str | None = None,
        location: str | None = None,
    ) -> None:
        super().__init__(http_status, hint)
        self.www_authenticate = www_authenticate
        self.location = location


class RechercheError(SandboxError):
    """A Recherche usager refusal or error carrying a return code (and its status, by default)."""

    def __init__(
        self, code: ReturnCode, generation: int, hint: str, http_status: int | None = None
    ) -> None:
        super().__init__(http_status or RETURN_CODES[code].http_status, hint)
        self.code = code
        self.generation = generation


class BackendError(SandboxError):
    """An error of the other APIs, in France Travail's legacy back-end shape."""

    def __init__(self, http_status: int, code: str, message: str, hint: str) -> None:
        super().__init__(http_status, hint)
        self.code = code
        self.message = message


class SpringError(SandboxError):
    """A refusal of a back-end that answers with Spring Boot's default error body.

    Orientation usager publishes its 400 (and v2's 500) this way: ``{timestamp, status, error,
    message, path}``, ``path`` being the back-end's own route. The timestamp and the path are
    added when the error is rendered (the request knows them).
    """

    def __init__(self, http_status: int, message: str, hint: str) -> None:
        super().__init__(http_status, hint)
        self.message = message


class ProblemError(BackendError):
    """An error of the APIs whose published file answers RFC 9457 ``ProblemDetails``.

    ``title`` is the platform's exception name (``DonneeEnEntreeInvalideException``…), ``detail``
    the French sentence; both are kept in ``code`` and ``message`` so that a legacy error raised
    by a shared step (jeton, access rule, state cap) converts without loss.
    """

    def __init__(self, http_status: int, title: str, detail: str, hint: str) -> None:
        super().__init__(http_status, title, detail, hint)

    @property
    def title(self) -> str:
        """The ProblemDetails ``title``."""
        return self.code

    @property
    def detail(self) -> str:
        """The ProblemDetails ``detail``."""
        return self.message


class CodeMessageError(BackendError):
    """An error of Gestion activités opérationnelles: its published ``Erreur`` body.

    ``details`` names the parameters at fault (published example: ``{"codeFamille": "GDD100",
    "codeDomaine": "GDD"}``).
    """

    def __init__(
        self,
        http_status: int,
        code: str,
        message: str,
        hint: str,
        details: dict[str, str | None] | None = None,
    ) -> None:
        super().__init__(http_status, code, message, hint)
        self.details = details
