"""The basics every layer of the project shares, written once.

``errors`` (what went wrong, by meaning), ``progress`` (how far long work has
got), ``reports`` (what a library call found, for people and machines) and
``environment`` (development, staging or production). This package imports
nothing else of the project: ``americano.db``, ``americano.ops`` and the
management layer all build on it.
"""
