from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ProcessGroup(models.IntegerChoices):
    """The four groups of both seed registers (seed 004 Appendix 1, seed 001 Annex 1): the
    group's number is the first part of its processes' codes."""

    # Translators: the seeds' "Башкаруу процесстери".
    MANAGEMENT = 1, _("Management processes")
    # Translators: the seeds' "… билим берүү, тарбиялоо ишмердигинин негизги процесстери".
    CORE = 2, _("Core processes of educational and upbringing activity")
    # Translators: the seeds' "… көмөкчү процесстер".
    SUPPORTING = 3, _("Supporting processes")
    # Translators: the seeds' "Негизги жана көмөкчү процесстердин ишмердиктин түрлөрүнүн алкагында
    # өлчөөлөр, анализ жана жакшыртуулар".
    MEASUREMENT = 4, _("Measurement, analysis and improvement within core and supporting processes")


# Short group names where space is tight: the process model picture.
GROUP_SHORT = {
    ProcessGroup.MANAGEMENT: pgettext_lazy("process group", "Management"),
    ProcessGroup.CORE: pgettext_lazy("process group", "Core: education and upbringing"),
    ProcessGroup.SUPPORTING: pgettext_lazy("process group", "Supporting"),
    ProcessGroup.MEASUREMENT: pgettext_lazy("process group", "Measurement, analysis and improvement"),
}
