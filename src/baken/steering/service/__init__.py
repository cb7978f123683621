"""Steering services: the only way in. Each takes the session and the principal."""
