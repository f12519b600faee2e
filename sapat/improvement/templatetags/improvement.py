from django import template

register = template.Library()


@register.filter
def who(user) -> str:
    """An account by its person's name, else its user name; "—" for none (the system)."""
    if user is None:
        return "—"
    person = getattr(user, "person", None)
    return person.full_name if person is not None else user.username
