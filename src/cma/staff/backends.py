"""Django's model backend, with a user's permissions read in one query (their own and
their groups' together) instead of two: every page asks on its first check."""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q


class OneQueryModelBackend(ModelBackend):
    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            found = Permission.objects.all()
            if not user_obj.is_superuser:
                found = found.filter(Q(user=user_obj) | Q(group__user=user_obj))
            rows = found.values_list("content_type__app_label", "codename").order_by()
            user_obj._perm_cache = {f"{app}.{name}" for app, name in rows}
        return user_obj._perm_cache  # type: ignore[no-any-return]
