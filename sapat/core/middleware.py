from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class UserLanguageMiddleware:
    """Chooses the interface language: a signed-in user's saved choice, else the language
    cookie, else Kyrgyz. The browser's Accept-Language is not consulted on purpose: Kyrgyz
    is the product's default even where browsers are set to Russian or English."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = dict(settings.LANGUAGES)

    def _language(self, request) -> str:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language in self.supported:
            return user.language
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        return cookie if cookie in self.supported else settings.LANGUAGE_CODE

    def __call__(self, request):
        language = self._language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        # Keep the cookie in step with the account, so the next sign-in page is in that language.
        if (
            request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language
            and getattr(request, "user", None)
            and request.user.is_authenticated
        ):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE, samesite="Lax"
            )
        return response
