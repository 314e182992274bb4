from django.conf import settings


def site(request):
    """What every page's frame needs: the portal's name and canonical address."""
    return {
        "portal_name": settings.PORTAL_NAME,
        # Query strings (filters, pages, ?version=) never make a new page.
        "canonical_url": request.build_absolute_uri(request.path),
    }
