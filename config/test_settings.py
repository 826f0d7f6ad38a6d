"""Settings for the test suite: the real settings, with testing switched on."""

import os

os.environ["ANJIAN_TESTING"] = "1"
os.environ.setdefault("ANJIAN_DEMO", "true")

from config.settings import *  # noqa: F403

# Hashing passwords slowly protects real accounts; the suite creates hundreds of throwaway ones.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
