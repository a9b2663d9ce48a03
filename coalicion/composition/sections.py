"""What the composition adds to "My work" (`coalicion.core.work`): for an
observer, the public documents to read (the documents app will add its own)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coalicion.core.sections import register
from coalicion.core.work import WorkItem


def _public_documents(*, user, roles, **params) -> dict | None:
    """No query."""
    if not roles.observer or roles.is_member:
        return None
    return {
        "items": [
            WorkItem(title=_("Approved minutes"), url=reverse("meetings:archive")),
            WorkItem(title=_("Legal framework"), url=reverse("legal:framework")),
            WorkItem(title=_("Statistics"), url=reverse("statistics:index")),
        ]
    }


register(
    "my_work",
    key="public_documents",
    order=90,
    title=gettext_lazy("Public documents"),
    template="_work_items.html",
    context=_public_documents,
)
