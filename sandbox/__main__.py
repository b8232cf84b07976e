"""`python -m sandbox` runs the `ft-sandbox` command line."""

from sandbox.cli import main

raise SystemExit(main())
