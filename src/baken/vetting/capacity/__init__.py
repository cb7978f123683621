"""Vetting: capacity."""
