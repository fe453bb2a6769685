"""Sync protocol v1: the pure protocol core (no Flask, no store imports).

* ``sync.push.plan_push`` -- exactly-once application of a device's mutation
  batch, as a plan of writes plus the answers to send once they are durable;
* ``sync.pull.build_pull_page`` -- one page of bucket changes since cursors;
* ``sync.results`` -- the result rules; ``sync.ticket_ops`` -- ticket use cases over
  records (rules in ``checklists.workflow``), shared with the web services;
* ``sync.schemas`` -- request/response bodies; ``sync.mutation_args`` -- args
  of each named mutation;
* ``sync.errors`` -- request-level errors carrying their HTTP status;
* ``sync.protocol`` -- protocol version and the window of app data schemas
  served (426 below it); ``sync.cursors_seen`` -- the cursors each client
  held at its pulls, for tombstone GC.

``server.services.sync_service`` runs these against a ``Store``;
``sync.client`` is the device-side library.
"""
