"""Resolve: knowing that two records are the same person or organisation.

:mod:`.names` normalises and transliterates names across scripts and compares them;
:mod:`.screening` finds the entities in the holdings that match one person (or a CSV of
people), within what the requesting principal may read.
"""
