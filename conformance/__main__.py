"""`python -m conformance` runs the `ft-conformance` command line."""

from conformance.cli import main

raise SystemExit(main())
