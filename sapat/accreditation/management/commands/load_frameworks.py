"""Load the shipped criteria frameworks and mappings (`packs/`), or one institution's pack file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sapat.org.models import Institution

from ...services_frameworks import PackError, load_pack, load_shipped, read_pack


class Command(BaseCommand):
    help = "Load the shipped criteria frameworks (idempotent), or --file for one institution."

    def add_arguments(self, parser):
        parser.add_argument("--file", help="a framework pack (JSON) to load for --institution")
        parser.add_argument("--institution", help="the institution's code")

    def handle(self, *args, file=None, institution=None, **options):
        try:
            if file:
                if not institution:
                    raise CommandError("--file needs --institution")
                owner = Institution.objects.get(code=institution)
                loaded = [load_pack(read_pack(Path(file).read_bytes()), institution=owner)]
            else:
                loaded = load_shipped()
        except PackError as exc:
            raise CommandError("\n".join(exc.problems)) from None
        except Institution.DoesNotExist:
            raise CommandError(f"No institution {institution}") from None
        for framework, created in loaded:
            state = "loaded" if created else "already loaded"
            self.stdout.write(f"{framework.code} v{framework.version}: {state}")
