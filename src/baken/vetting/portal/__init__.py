"""Vetting: portal."""
