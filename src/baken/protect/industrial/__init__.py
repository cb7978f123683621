"""Protect (industrial)."""
