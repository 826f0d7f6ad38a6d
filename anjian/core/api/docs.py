"""The Swagger UI page of the API under the site's Content-Security-Policy.

drf-spectacular's split view serves the page's start-up script as a separate same-site request (``?script``)
instead of an inline <script>, and the page's few base styles come from a static file instead of an inline
<style> (templates/core/swagger_ui.html), so the page needs no exception to ``script-src 'self'`` or
``style-src 'self'``. Swagger UI and its assets are the vendored drf-spectacular-sidecar files.
"""

from __future__ import annotations

from drf_spectacular.views import SpectacularSwaggerSplitView


class SwaggerView(SpectacularSwaggerSplitView):
    template_name = "core/swagger_ui.html"
