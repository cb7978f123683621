"""Test support that ships with Baken, so every module can register with the leak matrix."""
