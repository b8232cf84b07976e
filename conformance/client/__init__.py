"""Client conformance: a département's client graded on its real traffic, under scenarios."""
