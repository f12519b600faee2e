"""The documents module's pages, one list per area (each area has its own views module)."""

from . import urls_config, urls_main, urls_records, urls_reports, urls_search

urlpatterns = [
    *urls_main.urlpatterns,
    *urls_config.urlpatterns,
    *urls_records.urlpatterns,
    *urls_reports.urlpatterns,
    *urls_search.urlpatterns,
]
