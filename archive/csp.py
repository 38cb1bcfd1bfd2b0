"""The Content Security Policy: one strict policy for the public site, a little more for the
admin.

The public pages load only the archive's own files: no inline script, no inline style (the
JSON-LD `<script type="application/ld+json">` is a data block, which CSP does not govern).
The Django admin is the archive's own code too, but a change list without actions carries a
small inline `<style>` and django-simple-history's history page a `style=""` attribute, so
under `/admin/` inline *styles* are allowed. Scripts stay `'self'` everywhere.
"""

from __future__ import annotations

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.urls import reverse


class ArchiveCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(reverse("admin:index")):
            parts.update = {**(parts.update or {}), **settings.ARCHIVE_ADMIN_CSP_UPDATE}
        return parts
