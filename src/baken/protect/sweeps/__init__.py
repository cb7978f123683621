"""Protect (sweeps)."""
