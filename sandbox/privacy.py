"""Privacy in one place: NIR masking and the scrubbing of every log line.

The convention shows at most the first 7 characters of a NIR (sex, year, month, département);
logs, hints and reports never show more. Jetons, identifiants, access tokens and secrets never
appear at all. ``scrub`` handles URLs as servers log them, query strings included:

- NIRs written with spaces, dots, dashes, ``+`` or ``%20`` between their groups;
- the credentials the instance knows (admin token, client secrets, secret key), registered by
  the runtime with ``register_credentials``, raw or URL-encoded; and generically any run of 32 hex
  digits or more (the shape of generated keys and admin tokens);
- the whole v1 identifiant ``<uuid>#<base64url>`` (``#`` or ``%23``): its uuid half is stable
  per person, so leaving it would link every call about one person. Other uuids, such as an
  ``idDiagnostic`` in a path, stay readable: they name one diagnostic, not a person, and are
  what a developer looks for in the journal.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import quote, quote_plus

NIR_VISIBLE_CHARS = 7
MASK = "[masqué]"

# Between NIR groups, as people type them and as URLs encode them.
_SEP = r"(?:[ .+\-]|%20)?"
# A NIR body (13 characters, Corsican 2A/2B included) with an optional key, not inside a longer
# run of digits; a digit right after ``%`` is percent-encoding, not the start of a NIR.
_NIR_PATTERN = re.compile(
    rf"(?:(?<=%20)|(?<![0-9A-Za-z%]))([1-478]){_SEP}(\d{{2}}){_SEP}(\d{{2}}){_SEP}"
    rf"(\d{{2}}|2[AaBb]){_SEP}(\d{{3}}){_SEP}(\d{{3}})(?:{_SEP}(\d{{2}}))?(?![0-9])"
)
_NIR_SEPARATORS = re.compile(r"%20|[ .+\-]")
_IDENTIFIANT_PATTERN = re.compile(
    r"(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?:#|%23)[A-Za-z0-9_\-]*"
)
_HEX_PATTERN = re.compile(r"(?<![0-9A-Fa-f])[0-9A-Fa-f]{32,}(?![0-9A-Fa-f])")
# Opaque credentials: base64/base64url runs of 40+ characters (jetons, tokens, identifiants);
# a run must mix upper case, lower case and digits so that URL paths are left alone.
_SECRET_PATTERN = re.compile(r"[A-Za-z0-9_\-+/]{40,}={0,2}")
# A field's value, after an optional auth scheme; ``<placeholder>`` in a hint is not a value.
_FIELD_PATTERN = re.compile(
    r"(?i)(client_secret|access_token|ft-jeton-usager|authorization)(\"?\s*[:=]\s*\"?)"
    r"((?:bearer|basic)\s+)?+(?!<)([^\s&\",]+)"
)
# camelCase words and URL paths are mostly words of three letters or more; base64 is not
# (over 200 000 random 40-character runs, 2 reach this share; none of 64 characters or more).
_WORD = re.compile(r"[A-Z]?[a-z]{3,}")
_ALPHANUMERIC = re.compile(r"[A-Za-z0-9]")
_WORDED_SHARE = 0.75
# Shorter values cannot be told apart from ordinary words (tests use one-letter keys).
_MIN_CREDENTIAL_LENGTH = 8
# Logging is process-wide, so the known credentials are too; bounded because tests build many
# instances in one process (a real one registers a handful).
_MAX_CREDENTIALS = 256
_credentials: dict[str, None] = {}
_longest_first: tuple[str, ...] = ()


def register_credentials(*values: str) -> None:
    """Make ``scrub`` mask these exact values, raw or URL-encoded, wherever they appear.

    The runtime registers its admin token, secret key and client secrets when it is built;
    values shorter than 8 characters are ignored.
    """
    global _longest_first
    for value in values:
        if len(value) < _MIN_CREDENTIAL_LENGTH:
            continue
        for form in (value, quote(value, safe=""), quote_plus(value, safe="")):
            _credentials.pop(form, None)
            _credentials[form] = None
    while len(_credentials) > _MAX_CREDENTIALS:
        del _credentials[next(iter(_credentials))]
    _longest_first = tuple(sorted(_credentials, key=len, reverse=True))


def mask_nir(nir: str) -> str:
    """Return the first 7 characters of a NIR followed by asterisks for the rest."""
    compact = _NIR_SEPARATORS.sub("", nir)
    return compact[:NIR_VISIBLE_CHARS] + "*" * max(0, len(compact) - NIR_VISIBLE_CHARS)


def _mask_if_credential(match: re.Match[str]) -> str:
    run = match.group(0)
    mixed = any(c.isupper() for c in run) and any(c.islower() for c in run)
    if not (mixed and any(c.isdigit() for c in run)):
        return run
    worded = sum(len(word) for word in _WORD.findall(run))
    return run if worded >= _WORDED_SHARE * len(_ALPHANUMERIC.findall(run)) else MASK


def contains_nir(text: str) -> bool:
    """Whether a text holds something written like a NIR (the fact only: the journal's flag)."""
    return _NIR_PATTERN.search(text) is not None


def contains_credential(text: str) -> bool:
    """Whether a text holds a known credential, a credential field or a generated key."""
    return (
        any(credential in text for credential in _longest_first)
        or _FIELD_PATTERN.search(text) is not None
        or _HEX_PATTERN.search(text) is not None
    )


def scrub(text: str) -> str:
    """Mask every NIR and remove every credential-looking value from a free text or a URL."""
    for credential in _longest_first:
        if credential in text:
            text = text.replace(credential, MASK)
    text = _FIELD_PATTERN.sub(lambda m: f"{m.group(1)}{m.group(2)}{m.group(3) or ''}{MASK}", text)
    text = _IDENTIFIANT_PATTERN.sub(MASK, text)
    text = _HEX_PATTERN.sub(MASK, text)
    text = _SECRET_PATTERN.sub(_mask_if_credential, text)
    return _NIR_PATTERN.sub(lambda m: mask_nir(m.group(0)), text)


class ScrubbingFilter(logging.Filter):
    """A logging filter that rewrites every record through ``scrub``."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Scrub the message template and every string argument, keeping the record's shape.

        Formatters such as uvicorn's access formatter read ``record.args`` positionally, so the
        arguments are scrubbed one by one rather than merged into the message.
        """
        if isinstance(record.msg, str):
            record.msg = scrub(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(scrub(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: scrub(v) if isinstance(v, str) else v for k, v in record.args.items()}
        return True


def install_log_scrubbing(*logger_names: str) -> None:
    """Attach the scrubbing filter to the named loggers and to every handler they write to."""
    for name in logger_names:
        logger = logging.getLogger(name)
        for target in (logger, *logger.handlers, *logging.getLogger().handlers):
            if not any(isinstance(f, ScrubbingFilter) for f in target.filters):
                target.addFilter(ScrubbingFilter())


def initials(name: str) -> str:
    """Reduce a name to its initials (``Jean-Pierre DUPONT`` → ``J.-P. D.``)."""
    words = []
    for word in name.split():
        parts = [part[:1].upper() + "." for part in word.split("-") if part]
        words.append("-".join(parts))
    return " ".join(words)
