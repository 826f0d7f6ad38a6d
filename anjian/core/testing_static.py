"""WhiteNoise for the test suite: the same middleware, with its table of static files scanned once per run.

WhiteNoise reads every static file's size, date and compressed variants when the middleware is built, which a
served site does once at start. The test client builds the middleware anew for every client, so a suite of
thousands of tests read the static directories thousands of times. This subclass keeps the table it scanned for
a configuration (the static settings, the finders, the installed apps) and hands it to the next instance built
with the same one: the files served, their headers and the paths that fall through to Django are the same.
``config/test_settings.py`` puts it in WhiteNoise's place in MIDDLEWARE.
"""

from __future__ import annotations

from django.conf import settings as django_settings
from whitenoise.middleware import WhiteNoiseMiddleware


def _configuration(settings) -> str:
    names = sorted(name for name in dir(settings) if name.startswith(("WHITENOISE_", "STATIC")))
    return repr(
        (
            [(name, getattr(settings, name, None)) for name in names],
            settings.DEBUG,
            getattr(settings, "FORCE_SCRIPT_NAME", None),
            settings.STORAGES.get("staticfiles"),
            list(settings.INSTALLED_APPS),
        )
    )


class ScannedOnceWhiteNoiseMiddleware(WhiteNoiseMiddleware):
    """WhiteNoiseMiddleware whose scan of the static files is shared by the instances of one configuration."""

    _tables: dict[str, dict] = {}

    def __init__(self, get_response=None, settings=django_settings):
        key = _configuration(settings)
        self._known = self._tables.get(key)
        super().__init__(get_response, settings)
        if self.autorefresh:
            return
        if self._known is None:
            self._tables[key] = self.files
        else:
            self.files = self._known

    def add_files(self, root, prefix=None):
        if self._known is None or self.autorefresh:
            super().add_files(root, prefix)

    def add_files_from_finders(self):
        if self._known is None:
            super().add_files_from_finders()
