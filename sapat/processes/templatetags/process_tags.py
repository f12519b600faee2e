import copy

from django import template

from sapat.core.templatetags.sapat import change_rows

register = template.Library()

# Bookkeeping columns of the register that say nothing to a reader of its history.
HIDDEN_CHANGES = {"sort_key"}


@register.filter
def by_position(owners):
    """Owners as the registers write them: one line per position, the people holding it
    after it ("… жетектөөчү адиси — A; B; C")."""
    lines: list[tuple[str, list[str]]] = []
    index: dict[str, int] = {}
    for owner in owners:
        position = owner.position_title or (owner.unit.name if owner.unit_id else "")
        name = owner.person.full_name if owner.person_id else ""
        if position in index and name:
            lines[index[position]][1].append(name)
            continue
        index.setdefault(position, len(lines))
        lines.append((position, [name] if name else []))
    return lines


@register.filter
def process_change_rows(entry):
    if not HIDDEN_CHANGES & entry.changes.keys():
        return change_rows(entry)
    shown = copy.copy(entry)
    shown.changes = {key: value for key, value in entry.changes.items() if key not in HIDDEN_CHANGES}
    return change_rows(shown)
