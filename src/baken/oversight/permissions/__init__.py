"""Oversight: permissions."""
