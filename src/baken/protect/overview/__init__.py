"""Protect (overview): the dashboard of the protect parts, figures at a glance."""
