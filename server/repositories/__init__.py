"""Repositories: typed queries per record type over the store's read models.

A repository is given a reader (a store snapshot, or the open write
transaction) and answers in plain dicts and dataclasses, so services never
build SQL and API modules never see the store.
"""
