from django.conf import settings
from django.utils import translation


class UserLanguageMiddleware:
    """A signed-in user's chosen language wins over the cookie and the browser, so the
    choice follows them to any device."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        response = self.get_response(request)
        if (
            user is not None
            and user.is_authenticated
            and user.language
            and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != user.language
        ):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME, user.language, max_age=settings.LANGUAGE_COOKIE_AGE, samesite="Lax"
            )
        return response
