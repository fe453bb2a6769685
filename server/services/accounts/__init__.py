"""Accounts: users, sites, devices, and who may see what.

Flask-free services over the ``Store`` interface. Records live in the
collections ``users``, ``sites`` and ``devices``; users and devices are
server-private (``bucket=None``: password and token hashes never travel),
sites are written to the bucket ``site:<id>`` so devices can sync the sites
they work at.
"""
