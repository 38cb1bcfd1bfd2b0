"""Facet links: add one filter value while keeping all the others."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def add_filter(context, key: str, value) -> str:
    params = context["request"].GET.copy()
    params.pop("page", None)
    values = params.getlist(key)
    if str(value) not in values:
        values.append(str(value))
    params.setlist(key, values)
    return "?" + params.urlencode()
