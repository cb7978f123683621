"""Oversight: lifecycle."""
