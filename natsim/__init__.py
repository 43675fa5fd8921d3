"""A stand-in for the national public-service portal and business register, to test haicap's
exchange against (``server.py``). It lives in the source tree beside ``haicap/`` and is not part
of the installed package: a deployment talks to the real portal."""
