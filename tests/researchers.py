"""Researchers for the tests of accounts, folders and saved searches (the `researcher`
fixture is the root conftest's)."""

from django.test import Client


def signed_in(user) -> Client:
    """A browser session of `user`, signed in."""
    client = Client()
    client.force_login(user)
    return client
