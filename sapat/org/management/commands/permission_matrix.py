from django.core.management.base import BaseCommand
from django.utils import translation

from sapat.org.access import MATRIX, PERM_LABELS
from sapat.org.choices import Role


def matrix_markdown() -> str:
    """The permission matrix as the Markdown table the README carries."""
    with translation.override("en"):
        header = "| permission | " + " | ".join(str(label) for label in Role.labels) + " |"
        rule = "|---|" + "---|" * len(Role.values)
        rows = [
            f"| {label} | " + " | ".join("✓" if perm in MATRIX[role] else "" for role in Role.values) + " |"
            for perm, label in PERM_LABELS.items()
        ]
    return "\n".join([header, rule, *rows])


class Command(BaseCommand):
    help = "Print the permission matrix (roles × permissions) as a Markdown table."

    def handle(self, *args, **options):
        self.stdout.write(matrix_markdown())
