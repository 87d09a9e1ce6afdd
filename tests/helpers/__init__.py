"""Shared test helpers: flavour adapters and child-process scripts."""
