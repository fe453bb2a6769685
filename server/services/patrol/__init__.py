"""Patrol use cases: the one door for the API, the CLI and the server's periodic job.

The rules are the pure domain in ``checklists.patrol`` and the round
mutation in ``sync.patrol_rounds``; these modules read and write the store
around them (where each record lives: ``sync.patrol_records``):

* ``checkpoints`` -- a site's tagged places (tag codes unique in the site);
* ``routes`` -- route versions, a new one published on every edit;
* ``schedules`` -- schedule versions, planning their occurrences ahead
  (``occurrences``) so an edit never duplicates or loses a round with scans;
* ``missed`` -- the periodic pass marking overdue rounds missed, and the
  thread ``fieldsync serve`` runs it in;
* ``reports`` -- rounds, verdicts explained, alerts, punctuality, flags;
* ``labels`` -- a printable A4 PDF of a route's QR labels.
"""
