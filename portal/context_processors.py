from django.conf import settings


def site(request):
    """What every page's frame needs: the portal's name."""
    return {"portal_name": settings.PORTAL_NAME}
