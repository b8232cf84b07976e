"""JUnit XML rendering of a provider run, for CI pipelines (one test case per operation)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from conformance.provider import OperationResult


def junit_report(results: Sequence[OperationResult], base_url: str) -> bytes:
    """A ``<testsuite>`` whose failures name the Schemathesis check codes."""
    failures = sum(1 for r in results if r.failures)
    errors = sum(1 for r in results if r.error and not r.failures)
    suite = ET.Element(
        "testsuite",
        name=f"ft-conformance provider {base_url}",
        tests=str(len(results)),
        failures=str(failures),
        errors=str(errors),
    )
    for result in results:
        case = ET.SubElement(suite, "testcase", classname="provider", name=result.label)
        if result.failures:
            text = "\n".join(f"{code} {title}" for code, title in result.failures)
            failure = ET.SubElement(case, "failure", message=result.failures[0][1])
            failure.text = text
        elif result.error:
            ET.SubElement(case, "error", message=result.error)
    return bytes(ET.tostring(suite, encoding="utf-8", xml_declaration=True))
