"""Admin pieces every app's admin shares."""


class NulSafeSearchMixin:
    """PostgreSQL refuses NUL characters in text; a search term with one must not be a 500.

    Autocomplete goes through get_search_results too, so this covers both.
    """

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, search_term.replace("\x00", ""))
