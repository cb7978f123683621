"""Analysis: warning."""
