import datetime

from django.core.paginator import Paginator
from django.shortcuts import render

from coalicion.audit.history import PERSONAL_MODELS, history_model, object_history
from coalicion.audit.models import AuditEvent
from coalicion.core.permissions import check_perm, permission_required

PAGE_SIZE = 50


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


@permission_required("audit.view_auditevent")
def log(request):
    events = AuditEvent.objects.select_related("user")
    filters = {
        "user": request.GET.get("user", "").strip()[:254],
        "action": request.GET.get("action", ""),
        "since": _date(request.GET.get("since", "")),
        "until": _date(request.GET.get("until", "")),
    }
    if filters["user"]:
        events = events.filter(user_email__icontains=filters["user"])
    if filters["action"] in AuditEvent.Action.values:
        events = events.filter(action=filters["action"])
    if filters["since"]:
        events = events.filter(at__date__gte=filters["since"])
    if filters["until"]:
        events = events.filter(at__date__lte=filters["until"])
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/log.html",
        {
            "page": page,
            "filters": filters,
            "actions": AuditEvent.Action.choices,
            "query": query.urlencode(),
        },
    )


@permission_required("audit.view_history")
def history(request, app_label, model_name, pk):
    model = history_model(app_label=app_label, model_name=model_name)
    if f"{app_label}.{model_name}" in PERSONAL_MODELS:
        check_perm(request, "membership.view_directory")
    obj, entries = object_history(model=model, pk=pk)
    return render(
        request,
        "audit/history.html",
        {"object": obj, "entries": entries, "model_name": model._meta.verbose_name},
    )
