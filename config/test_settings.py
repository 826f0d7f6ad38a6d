"""Settings for the test suite: the real settings, with testing switched on."""

import os
import tempfile
import uuid
from pathlib import Path

os.environ["ANJIAN_TESTING"] = "1"
os.environ.setdefault("ANJIAN_DEMO", "true")

from config.settings import *  # noqa: F403

# Hashing passwords slowly protects real accounts; the suite creates hundreds of throwaway ones.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# verify_audit appends checkpoints named after the database; a test database is made anew on every run,
# so its checkpoints never go to var/ (each test gets its own directory too, see anjian/conftest.py).
AUDIT_CHECKPOINT_DIR = Path(
    os.environ.get("AUDIT_CHECKPOINT_DIR")
    or Path(tempfile.gettempdir()) / f"anjian-test-checkpoints-{uuid.uuid4().hex}"
)

# Between transactional tests the runner empties every table (TRUNCATE on PostgreSQL, DELETE on SQLite),
# which the audit log's triggers refuse; these backends lift them for that statement only.
DATABASES["default"]["ENGINE"] = {  # noqa: F405
    "django.db.backends.postgresql": "anjian.core.testing_backends.postgresql",
    "django.db.backends.sqlite3": "anjian.core.testing_backends.sqlite3",
}.get(DATABASES["default"]["ENGINE"], DATABASES["default"]["ENGINE"])  # noqa: F405

# The test client builds the middleware for every client; WhiteNoise's scan of the static files is made once per
# run instead of once per client (the files served are the same, see anjian/core/testing_static.py).
MIDDLEWARE = [
    "anjian.core.testing_static.ScannedOnceWhiteNoiseMiddleware"
    if entry == "whitenoise.middleware.WhiteNoiseMiddleware"
    else entry
    for entry in MIDDLEWARE  # noqa: F405
]
