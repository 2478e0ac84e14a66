from django.conf import settings

from gemeinsinn.core.models import CityProfile


def site(request):
    return {"city": CityProfile.current(), "map_tile_url": settings.MAP_TILE_URL}
