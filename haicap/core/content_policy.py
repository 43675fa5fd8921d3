"""What the Content-Security-Policy lets the API's documentation page load.

Every page gets the strict policy in settings (``CONTENT_SECURITY_POLICY``). The API's
documentation page is django-ninja's Swagger UI, which loads its script and style from a CDN and
starts with one inline script. Rather than allowing inline scripts there, the policy of that
page names the CDN and the hash of the very scripts the page carries, so nothing else runs.
"""

import base64
import hashlib
import re
from collections.abc import Callable
from functools import wraps

from csp.constants import SELF
from csp.decorators import csp_update
from django.http import HttpRequest, HttpResponse

DOCS_ASSETS = "https://cdn.jsdelivr.net"
DOCS_ICONS = "https://django-ninja.dev"

# A script element with no attributes at all runs its content: JSON data blocks
# (type="application/json") and scripts loaded by src are not inline scripts.
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def inline_script_hashes(html: str) -> list[str]:
    """The CSP source (``'sha256-…'``) of each inline script in ``html``, in order."""
    return [
        "'sha256-{}'".format(
            base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii")
        )
        for body in _INLINE_SCRIPT.findall(html)
    ]


def docs_page_policy(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """Let the wrapped documentation view load Swagger UI and run its own inline scripts only."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        hashes = inline_script_hashes(response.content.decode(response.charset or "utf-8"))
        policy = csp_update(
            {
                "script-src": [SELF, DOCS_ASSETS, *hashes],
                "style-src": [SELF, DOCS_ASSETS],
                "img-src": [SELF, "data:", DOCS_ICONS],
            }
        )
        return policy(lambda _request: response)(request)

    return wrapped
