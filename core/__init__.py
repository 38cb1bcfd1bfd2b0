"""What every app of the archive may use and nothing of the archive's own: bulk writes, context
flags, slugs, record identifiers, language names, the admin's NUL-safe search, the `__any`
lookup. It imports no app (tests/test_architecture.py holds it to that)."""
