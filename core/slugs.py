"""Slugs for browse pages that never collide, even for names that slugify alike."""

from django.utils.text import slugify


def unique_slug(text: str, taken: set[str], *, max_length: int = 200) -> str:
    """A slug for `text` not in `taken`, which it then joins (so a batch can share one set)."""
    base = slugify(text)[: max_length - 8].strip("-") or "untitled"
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    taken.add(slug)
    return slug


def taken_slugs(model) -> set[str]:
    """The slugs `model` already uses."""
    return set(model._default_manager.values_list("slug", flat=True))
