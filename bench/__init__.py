"""Benchmarks of the real `villagebot` process against the Bot API emulator: `python -m bench`."""
