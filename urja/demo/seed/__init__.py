"""Synthetic UP-like utility for demos, tests and benchmarks: ``urja seed --consumers N``."""

from urja.demo.seed.generator import SeedRefused, SeedResult, reset, seed

__all__ = ["SeedRefused", "SeedResult", "reset", "seed"]
