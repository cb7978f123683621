"""Vetting: positions."""
