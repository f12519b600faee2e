"""Errors of the API. The services raise Django's ValidationError (with field names when
they know them); the API answers those as DRF's 400 with the same field names."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


def _details(errors) -> list[ErrorDetail]:
    return [ErrorDetail(message, code=error.code or "invalid") for error in errors for message in error.messages]


def as_drf_validation_error(error: DjangoValidationError) -> ValidationError:
    """`{"field": ["message", ...]}`; errors that name no field go under `non_field_errors`."""
    if hasattr(error, "error_dict"):
        detail = {
            (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): _details(errors)
            for field, errors in error.error_dict.items()
        }
    else:
        detail = {api_settings.NON_FIELD_ERRORS_KEY: _details(error.error_list)}
    return ValidationError(detail)


def exception_handler(exc, context):
    """DRF's handler, which already turns Http404 into 404 and Django's PermissionDenied
    into 403, taught to turn Django's ValidationError into 400."""
    if isinstance(exc, DjangoValidationError):
        exc = as_drf_validation_error(exc)
    return drf_exception_handler(exc, context)
