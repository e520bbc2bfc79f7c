"""Pulling events from the providers' APIs into a local, versioned store.

- :mod:`geo.pull._http`: the HTTP client every pull goes through (timeouts, retries with
  back-off honouring ``Retry-After``, credentials, secrets kept out of every message).
- :mod:`geo.pull.acled`: ACLED's API (OAuth password grant, paging, deletions).
- :mod:`geo.pull.ucdp`: UCDP's GED API (yearly releases and candidate events).
- :mod:`geo.pull.store`: the store directory: GeoParquet snapshots and their manifest.
- :mod:`geo.pull.run`: a pull from start to end (:func:`geo.pull.run.pull_events` is what
  ``geo pull`` runs).
"""
