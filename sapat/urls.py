from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("", include("sapat.core.urls")),
    path("", include("sapat.org.urls")),
    path("documents/", include("sapat.documents.urls")),
    path("processes/", include("sapat.processes.urls")),
    path("improvement/", include("sapat.improvement.urls")),
    path("surveys/", include("sapat.surveys.urls")),
    path("s/", include("sapat.surveys.urls_public")),
    path("", include("sapat.complaints.urls")),
    path("audits/", include("sapat.audits.urls")),
    path("accreditation/", include("sapat.accreditation.urls")),
    path("api/", include("sapat.org.api.urls")),
    path("api/", include("sapat.documents.api.urls")),
    path("api/", include("sapat.processes.api.urls")),
    path("api/", include("sapat.audits.api.urls")),
    path("", include("sapat.complaints.urls")),
    path("api/", include("sapat.complaints.api.urls")),
    path("api/", include("sapat.improvement.api.urls")),
    path("api/", include("sapat.surveys.api.urls")),
    path("api/", include("sapat.accreditation.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api_schema"), name="api_docs"),
]
