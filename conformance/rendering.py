"""What the kit's report renderers share: escaping, French counts, severity styles, base CSS.

The exchange-file reports (``conformance.files.render``) and the client reports
(``conformance.client.render``) look alike and escape alike: both take their helpers from here.
"""

from __future__ import annotations

import html
import re

from sandbox.findings import Severity

SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
"""Rich style of each severity in console reports."""

SEVERITY_PLURALS = {
    Severity.ERROR: "erreurs",
    Severity.WARNING: "avertissements",
    Severity.INFO: "informations",
}
"""French plural of each severity, for counts."""

BASE_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem;color:#1e1e1e}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:2px solid #000091}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}
th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top;font-size:.9rem}
th{background:#f0f0f5}.erreur{color:#b00020;font-weight:bold}.avertissement{color:#8a5a00}
.information{color:#005a8a}.ok{color:#18753c;font-weight:bold}.meta{color:#555}
code{background:#f4f4f4;padding:0 .2rem}
"""
"""The style sheet every HTML report starts from (inline: reports load no external resource)."""

# Characters XML 1.0 cannot carry at all, even escaped (C0 controls but tab, LF, CR; surrogates;
# U+FFFE/U+FFFF): ElementTree would write them and produce a file no parser reads.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def escape(value: object) -> str:
    """``value`` as HTML text or attribute content (``&``, ``<``, ``>``, both quotes escaped)."""
    return html.escape(str(value), quote=True)


def xml_text(value: object) -> str:
    """``value`` with the characters XML cannot hold replaced by U+FFFD (ElementTree escapes
    the rest)."""
    return _NOT_XML.sub("\ufffd", str(value))


def french_count(number: int, singular: str, plural: str) -> str:
    """``1 règle``, ``3 règles``: French puts 0 and 1 in the singular."""
    return f"{number} {singular if number <= 1 else plural}"
