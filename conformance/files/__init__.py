"""`ft-conformance files`: check exchange files against the convention, write sample files.

The engine is ``sandbox.exchange`` (the sandbox's file drop uses it too); this package is the
front end: command line, progress bar and the console, JSON, JUnit XML and HTML reports.
"""
