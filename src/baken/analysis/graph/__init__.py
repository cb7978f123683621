"""Analysis: graph."""
