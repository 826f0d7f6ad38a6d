"""Renderers the API's endpoints share: an export action lists :class:`XlsxRenderer` beside the JSON renderer, so a
client may ask for the workbook by its media type (``Accept``) and still read an error as JSON."""

from __future__ import annotations

import json

from rest_framework import renderers

from anjian.core import xlsx

XLSX = xlsx.CONTENT_TYPE


class XlsxRenderer(renderers.BaseRenderer):
    """Lets a client ask for the workbook by its media type; errors still come back as JSON text."""

    media_type = XLSX
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return json.dumps(data, ensure_ascii=False).encode()
