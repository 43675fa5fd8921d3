"""The password hasher staff passwords are stored with."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2idHasher(Argon2PasswordHasher):
    """Argon2id with OWASP's Password Storage Cheat Sheet parameters: 19 MiB, 2 passes, 1 lane.

    Django's defaults (100 MiB, 8 lanes) make each sign-in hold about 100 MB more in a web
    worker for a moment; these keep a worker under its memory ceiling. Hashes made with other
    parameters still verify and are rehashed with these at the next sign-in (``must_update``).
    """

    algorithm = "argon2"  # the same prefix: the parameters are read from each stored hash
    memory_cost = 19456  # KiB
    time_cost = 2
    parallelism = 1
