"""Facet links: add one filter value while keeping all the others, or remove an active one."""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext

register = template.Library()

# Parameters that repeat (any of the regions, all of the people, any of the collections);
# the others take one value.
REPEATED = ("region", "person", "collection")


def _params(context):
    params = context["request"].GET.copy()
    params.pop("page", None)
    return params


@register.simple_tag(takes_context=True)
def add_filter(context, key: str, value) -> str:
    params = _params(context)
    values = params.getlist(key)
    if str(value) not in values:
        values.append(str(value))
    params.setlist(key, values)
    return "?" + params.urlencode()


@register.simple_tag(takes_context=True)
def replace_filter(context, key: str, value) -> str:
    """This list with `key` set to `value` alone (the query a "Did you mean" offers)."""
    params = _params(context)
    params[key] = str(value)
    return "?" + params.urlencode()


@register.simple_tag(takes_context=True)
def remove_filter(context, key: str, value) -> str:
    params = _params(context)
    params.setlist(key, [v for v in params.getlist(key) if v != str(value)])
    return "?" + params.urlencode()


def _is_active(context, key: str, value) -> bool:
    search = context.get("search")
    if search is None:
        return False
    chosen = search.cleaned.get(key)
    if chosen is None:
        return False
    if key in REPEATED:
        return str(value) in {item.slug for item in chosen}
    return str(chosen) == str(value)


@register.simple_tag(takes_context=True)
def facet_link(context, key: str, value, label, count, life_dates: str = "") -> str:
    """One facet value: a link that adds it, or, when it is in force, one that removes it."""
    if key in REPEATED:
        add = add_filter(context, key, value)
    else:
        params = _params(context)
        params[key] = str(value)
        add = "?" + params.urlencode()
    dates = format_html(' <span class="life-dates">({})</span>', life_dates) if life_dates else ""
    count_html = format_html(
        ' <span class="count">{}<span class="visually-hidden"> {}</span></span>',
        intcomma(count),
        ngettext("document", "documents", count),
    )
    if _is_active(context, key, value):
        return format_html(
            '<a class="facet-active" href="{}" aria-current="true">'
            '<span class="visually-hidden">{} </span>{}</a>{}{}',
            remove_filter(context, key, value),
            gettext("Remove the filter"),
            label,
            dates,
            count_html,
        )
    return format_html('<a href="{}">{}</a>{}{}', add, label, dates, count_html)
