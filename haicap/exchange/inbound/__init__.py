"""What reaches haicap from the national systems: filings made on the national portal (by its
signed webhook, ``api.py``, or by pulling its queue, ``pull.py``), received once each into the
dossier engine (``services.py``), and enterprises looked up in the business register
(``business.py``). ``parsing.py`` is the pure core: signatures and reading a filing."""
