from django.db.models import Prefetch, Q, QuerySet

from coalicion.accounts.models import Invitation, User
from coalicion.membership.models import ObserverMembership, Representation


def users(*, query: str = "", status: str = "") -> QuerySet[User]:
    users = User.objects.select_related("person__country").prefetch_related(
        Prefetch(
            "person__representations",
            queryset=Representation.objects.select_related("country").order_by("-start"),
        ),
        Prefetch(
            "person__observer_memberships",
            queryset=ObserverMembership.objects.select_related("organisation"),
        ),
    )
    if query:
        users = users.filter(
            Q(email__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
        )
    if status == "active":
        users = users.filter(is_active=True)
    elif status == "disabled":
        users = users.filter(is_active=False)
    return users.order_by("last_name", "first_name", "email")


def user_detail(*, pk: int) -> User:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(users(), pk=pk)


def invitations_of(*, user: User) -> QuerySet[Invitation]:
    return user.invitations.select_related("invited_by").order_by("-created_at")
