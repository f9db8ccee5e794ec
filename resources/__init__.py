"""Data that edgeapp ships and reads, not code: the model catalog, the price table, the prompts,
the gatekeeper's list of places, the icons and the Linux .desktop entry.

The wheel and the packaged app carry this folder as the package `edgeapp.resources` (see
setup.py); code finds a file with `edgeapp.paths.resource("prices.toml")`.
"""
