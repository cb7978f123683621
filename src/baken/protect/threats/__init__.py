"""Protect (threats)."""
