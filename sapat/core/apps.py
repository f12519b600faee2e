import re
from functools import lru_cache

from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


@lru_cache(maxsize=512)
def _like_regex(pattern: str, escape: str | None) -> re.Pattern:
    out, i = [], 0
    while i < len(pattern):
        ch = pattern[i]
        if escape and ch == escape and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append(".*" if ch == "%" else "." if ch == "_" else re.escape(ch))
        i += 1
    return re.compile("".join(out), re.DOTALL | re.IGNORECASE)


def _like(pattern, value, escape=None):
    if pattern is None or value is None:
        return None
    return _like_regex(pattern, escape).fullmatch(str(value)) is not None


def _unicode_sqlite(sender, connection, **kwargs):
    """SQLite's LIKE folds case for ASCII only; Kyrgyz and Russian need full Unicode, so
    searching "эргешали" finds "Эргешали" on SQLite as it does on PostgreSQL."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("like", 2, _like, deterministic=True)
        connection.connection.create_function("like", 3, _like, deterministic=True)
        connection.connection.create_function(
            "lower", 1, lambda s: s.lower() if isinstance(s, str) else s, deterministic=True
        )
        connection.connection.create_function(
            "upper", 1, lambda s: s.upper() if isinstance(s, str) else s, deterministic=True
        )


class CoreConfig(AppConfig):
    name = "sapat.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        connection_created.connect(_unicode_sqlite)
