"""ft-conformance: grades a département's client and exchange files against the convention."""

__all__: list[str] = []
