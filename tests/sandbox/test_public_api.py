"""The public surface is exactly what the packages declare."""

from __future__ import annotations

import conformance
import sandbox


def test_sandbox_exports() -> None:
    assert sorted(sandbox.__all__) == ["Settings", "__version__", "create_app"]
    for name in sandbox.__all__:
        assert hasattr(sandbox, name)


def test_conformance_exports_nothing_yet() -> None:
    assert conformance.__all__ == []
