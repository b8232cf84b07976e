"""Privacy in one place: NIR masking and the scrubbing of every log line.

The convention shows at most the first 7 characters of a NIR (sex, year, month, département);
logs, hints and reports never show more. Jetons, identifiants, access tokens and secrets never
appear at all.
"""

from __future__ import annotations

import logging
import re

NIR_VISIBLE_CHARS = 7

# A NIR body (13 characters, Corsican 2A/2B included) with an optional key, not inside a longer
# run of digits; spaces or dots between groups as people type them.
_NIR_PATTERN = re.compile(
    r"(?<![0-9A-Za-z])([1-478])[ .]?(\d{2})[ .]?(\d{2})[ .]?(\d{2}|2[AaBb])"
    r"[ .]?(\d{3})[ .]?(\d{3})(?:[ .]?(\d{2}))?(?![0-9])"
)
# Opaque credentials: base64/base64url runs of 40+ characters (jetons, tokens, identifiants);
# a run must mix upper case, lower case and digits so that URL paths are left alone.
_SECRET_PATTERN = re.compile(r"[A-Za-z0-9_\-+/]{40,}={0,2}")
_FIELD_PATTERN = re.compile(
    r"(?i)(client_secret|access_token|ft-jeton-usager|authorization)(\"?\s*[:=]\s*\"?)([^\s&\",]+)"
)


def mask_nir(nir: str) -> str:
    """Return the first 7 characters of a NIR followed by asterisks for the rest."""
    compact = re.sub(r"[ .]", "", nir)
    return compact[:NIR_VISIBLE_CHARS] + "*" * max(0, len(compact) - NIR_VISIBLE_CHARS)


def _mask_if_credential(match: re.Match[str]) -> str:
    run = match.group(0)
    mixed = any(c.isupper() for c in run) and any(c.islower() for c in run)
    return "[masqué]" if mixed and any(c.isdigit() for c in run) else run


def scrub(text: str) -> str:
    """Mask every NIR and remove every credential-looking value from a free text."""
    text = _FIELD_PATTERN.sub(lambda m: f"{m.group(1)}{m.group(2)}[masqué]", text)
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
