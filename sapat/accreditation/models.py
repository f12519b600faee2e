"""Accreditation: criteria frameworks and their mappings (models_frameworks), the register
of accreditations (models_register). Other parts of the app add their modules here."""

from .models_frameworks import *  # noqa: F403
from .models_projects import *  # noqa: F403
from .models_register import *  # noqa: F403
