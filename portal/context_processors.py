from django.conf import settings
from django.templatetags.static import static
from django.utils.functional import SimpleLazyObject

from references.numbers import parse_number

# The one query parameter that names a different page of the same list.
PAGE_PARAM = "page"


def canonical_url(request):
    """The page's address without filters or ``?version=``, but with its page.

    Filters and the audience never make a new page; page 2 of a list is a
    page of its own, and pointing its canonical link at page 1 would tell
    search engines to drop it.
    """
    url = request.build_absolute_uri(request.path)
    page = parse_number(request.GET.get(PAGE_PARAM, ""), minimum=2)
    if page is not None:
        url += f"?{PAGE_PARAM}={page}"
    return url


def site(request):
    """What every page's frame needs: the portal's name and canonical address."""
    return {
        "portal_name": settings.PORTAL_NAME,
        # Where readers' questions go (the editorial policy's contact section).
        "contact_email": settings.PORTAL_CONTACT_EMAIL,
        "canonical_url": canonical_url(request),
        # Lazy: read by the page frame only when it is rendered, not kept.
        "og_image_url": SimpleLazyObject(
            lambda: request.build_absolute_uri(static("img/og-image.png"))
        ),
    }
