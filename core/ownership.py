"""Records a researcher owns (their folders, their saved searches)."""

from django.db import models


class OwnedQuerySet(models.QuerySet):
    def of(self, user):
        """What `user` owns (its `owner`): the only rows any view of theirs may touch."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(owner=user)
