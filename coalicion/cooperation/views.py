"""Cooperation pages: thin views that parse, check the permission, call one
selector or action and render (STYLE rule 2)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coalicion.audit.downloads import protected_download
from coalicion.cooperation import actions, charts, selectors
from coalicion.cooperation.forms import (
    ActorForm,
    AllianceForm,
    InstrumentEditForm,
    InstrumentForm,
    JointActionForm,
    ListFilters,
    PracticeForm,
    ReplicationForm,
    ResourceRequestForm,
    StageChangeForm,
)
from coalicion.cooperation.models import (
    Actor,
    Alliance,
    Area,
    GoodPractice,
    Instrument,
    RecordEvidence,
    ResourceRequest,
    StageEvidence,
)
from coalicion.cooperation.rules import countries_kept_by
from coalicion.core.permissions import check_perm, permission_required
from coalicion.core.submit import submit
from coalicion.core.uploads import download_name
from coalicion.membership.models import Country


def _form_page(request, form, *, title: str, back: str, multipart: bool = False, **extra):
    return render(
        request,
        "cooperation/form.html",
        {"form": form, "title": title, "back": back, "multipart": multipart, **extra},
    )


def _keep_record(
    request,
    form_class,
    save,
    *,
    record=None,
    keyword: str = "",
    done: str,
    back: str,
    title: str = "",
    success: str = "",
    multipart: bool = False,
):
    """The page that adds (`record` None) or edits a record kept as typed:
    `form_class` offers the user's countries, `save` is the action (given
    the record as `keyword` and its version, so that a stale edit is
    refused); then to `success` or the saved record's page."""
    form = form_class(
        request.POST or None,
        request.FILES or None,
        instance=record,
        kept=countries_kept_by(request.user),
    )
    if request.method == "POST":
        edited = {}
        if record is not None:
            # The form's instance is a copy for the action; the action locks and saves.
            edited = {
                keyword: type(record).objects.get(pk=record.pk),
                "version": request.POST.get("version", ""),
            }
        outcome = submit(
            request,
            lambda: save(actor=request.user, **edited, **form.cleaned_data),
            form=form,
            done=done,
        )
        if outcome:
            return redirect(success or outcome.value)
    return _form_page(
        request,
        form,
        title=title or str(record),
        back=back,
        multipart=multipart,
        version=record,
    )


# --- Instruments -----------------------------------------------------------------------


@permission_required("cooperation.view_instrument")
def instrument_list(request):
    filters = ListFilters(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    instruments, hidden = selectors.instrument_list(
        user=request.user,
        country_code=data.get("country", ""),
        type_code=data.get("type", ""),
        stage_code=data.get("stage", ""),
    )
    return render(
        request,
        "cooperation/instruments.html",
        {
            "instruments": instruments,
            "hidden": hidden,
            "types": selectors.instrument_types(),
            "stages": selectors.stage_scale(),
            "countries": Country.objects.order_by("name"),
            "chosen": data,
            "may_add": request.user.has_perm("cooperation.add_instrument"),
        },
    )


@permission_required("cooperation.add_instrument")
def instrument_create(request):
    form = InstrumentForm(
        request.POST or None, request.FILES or None, kept=countries_kept_by(request.user)
    )
    if request.method == "POST":
        outcome = submit(
            request,
            lambda: actions.create_instrument(actor=request.user, **form.instrument_fields()),
            form=form,
            done=_("The instrument was added to the registry."),
        )
        if outcome:
            return redirect(outcome.value)
    return _form_page(
        request, form, title=_("Add an instrument"), back="cooperation:instruments", multipart=True
    )


def _instrument(request, pk) -> Instrument:
    try:
        instrument = selectors.instrument_detail(pk=pk)
    except Instrument.DoesNotExist:
        raise Http404 from None
    check_perm(request, "cooperation.view_instrument", instrument)
    return instrument


@login_required
def instrument_detail(request, pk, stage_form=None):
    instrument = _instrument(request, pk)
    may_change = request.user.has_perm("cooperation.change_instrument", instrument)
    if may_change and stage_form is None:
        stage_form = StageChangeForm()
    return render(
        request,
        "cooperation/instrument.html",
        {
            "instrument": instrument,
            "changes": list(instrument.changes.all()),
            "may_change": may_change,
            "stage_form": stage_form,
        },
    )


@require_POST
@login_required
def change_stage(request, pk):
    instrument = _instrument(request, pk)
    check_perm(request, "cooperation.change_instrument", instrument)
    form = StageChangeForm(request.POST, request.FILES, instrument=instrument)
    outcome = submit(
        request,
        lambda: actions.change_stage(
            actor=request.user,
            instrument=instrument,
            version=request.POST.get("version", ""),
            stage=form.cleaned_data["stage"],
            day=form.cleaned_data["day"],
            reason=form.cleaned_data["reason"],
            act=form.cleaned_data["act"],
            evidence=form.cleaned_data["evidence"],
        ),
        form=form,
        done=_("The stage change was recorded."),
    )
    if outcome:
        return redirect(instrument)
    return instrument_detail(request, pk, stage_form=form)


@login_required
def instrument_edit(request, pk):
    instrument = _instrument(request, pk)
    check_perm(request, "cooperation.change_instrument", instrument)
    form = InstrumentEditForm(
        request.POST or None,
        initial={
            "title": instrument.title,
            "title_en": instrument.title_en,
            "description": instrument.description,
        },
    )
    if request.method == "POST":
        outcome = submit(
            request,
            lambda: actions.update_instrument(
                actor=request.user,
                instrument=instrument,
                version=request.POST.get("version", ""),
                **form.cleaned_data,
            ),
            form=form,
            done=_("The instrument was saved."),
        )
        if outcome:
            return redirect(instrument)
    return _form_page(
        request, form, title=str(instrument), back="cooperation:instruments", version=instrument
    )


def _download(request, evidence, *, permission: str, detail_key: str):
    """An evidence file (StageEvidence, RecordEvidence) to whoever may see it."""
    check_perm(request, permission, evidence)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The file of this evidence is missing from the server.")) from None
    return protected_download(
        actor=request.user,
        content=handle,
        filename=download_name(evidence.original_name, evidence.content_type),
        content_type=evidence.content_type,
        target=evidence.original_name,
        detail={detail_key: evidence.pk},
    )


@login_required
def stage_evidence(request, pk):
    evidence = get_object_or_404(
        StageEvidence.objects.select_related("change__instrument__stage"), pk=pk
    )
    return _download(
        request,
        evidence,
        permission="cooperation.view_stageevidence",
        detail_key="cooperation_stage_evidence",
    )


@login_required
def record_evidence(request, pk):
    """A file of a good practice, a replication or a joint action."""
    evidence = get_object_or_404(
        RecordEvidence.objects.select_related("practice", "replication__practice", "joint_action"),
        pk=pk,
    )
    return _download(
        request,
        evidence,
        permission="cooperation.view_recordevidence",
        detail_key="cooperation_record_evidence",
    )


# --- Good practices ---------------------------------------------------------------------


@permission_required("cooperation.view_goodpractice")
def practice_list(request):
    filters = ListFilters(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    return render(
        request,
        "cooperation/practices.html",
        {
            "practices": selectors.practice_list(
                country_code=data.get("country", ""), area=data.get("area", "")
            ),
            "areas": Area.choices,
            "countries": Country.objects.order_by("name"),
            "chosen": data,
            "may_add": request.user.has_perm("cooperation.add_goodpractice"),
        },
    )


@permission_required("cooperation.add_goodpractice")
def practice_create(request):
    return _keep_record(
        request,
        PracticeForm,
        actions.save_practice,
        done=_("The good practice was registered."),
        title=_("Register a good practice"),
        back="cooperation:practices",
        multipart=True,
    )


@permission_required("cooperation.view_goodpractice")
def practice_detail(request, pk, replication_form=None):
    try:
        practice = selectors.practice_detail(pk=pk)
    except GoodPractice.DoesNotExist:
        raise Http404 from None
    may_replicate = request.user.has_perm("cooperation.add_replication")
    if may_replicate and replication_form is None:
        replication_form = ReplicationForm(kept=countries_kept_by(request.user), practice=practice)
    return render(
        request,
        "cooperation/practice.html",
        {
            "practice": practice,
            "may_change": request.user.has_perm("cooperation.change_goodpractice", practice),
            "replication_form": replication_form,
        },
    )


@permission_required("cooperation.view_goodpractice")
def practice_edit(request, pk):
    practice = get_object_or_404(GoodPractice, pk=pk)
    check_perm(request, "cooperation.change_goodpractice", practice)
    return _keep_record(
        request,
        PracticeForm,
        actions.save_practice,
        record=practice,
        keyword="practice",
        done=_("The good practice was saved."),
        back="cooperation:practices",
        multipart=True,
    )


@require_POST
@permission_required("cooperation.add_replication")
def replication_create(request, pk):
    practice = get_object_or_404(GoodPractice, pk=pk)
    form = ReplicationForm(
        request.POST, request.FILES, kept=countries_kept_by(request.user), practice=practice
    )
    outcome = submit(
        request,
        lambda: actions.record_replication(
            actor=request.user, practice=practice, **form.cleaned_data
        ),
        form=form,
        done=_("The replication was recorded."),
    )
    if outcome:
        return redirect(practice)
    return practice_detail(request, pk, replication_form=form)


# --- Actors, alliances, joint actions ---------------------------------------------------


@permission_required("cooperation.view_actor")
def actor_list(request):
    data = selectors.actor_map()
    return render(
        request,
        "cooperation/actors.html",
        {
            **data,
            "network": charts.network_svg(data["rows"]),
            "may_add": request.user.has_perm("cooperation.add_actor"),
            "may_add_alliance": request.user.has_perm("cooperation.add_alliance"),
        },
    )


@permission_required("cooperation.view_actor")
def actor_detail(request, pk):
    try:
        actor = selectors.actor_detail(pk=pk)
    except Actor.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "cooperation/actor.html",
        {
            "actor": actor,
            "may_change": request.user.has_perm("cooperation.change_actor", actor),
            "may_see_contacts": request.user.has_perm("cooperation.view_actor_contacts"),
            "may_see_resources": request.user.has_perm("cooperation.view_resourcerequest"),
        },
    )


@permission_required("cooperation.add_actor")
def actor_create(request):
    return _keep_record(
        request,
        ActorForm,
        actions.save_actor,
        done=_("The actor was added to the map."),
        title=_("Add an actor"),
        back="cooperation:actors",
    )


@permission_required("cooperation.view_actor")
def actor_edit(request, pk):
    record = get_object_or_404(Actor, pk=pk)
    check_perm(request, "cooperation.change_actor", record)
    return _keep_record(
        request,
        ActorForm,
        actions.save_actor,
        record=record,
        keyword="record",
        done=_("The actor was saved."),
        back="cooperation:actors",
    )


@permission_required("cooperation.add_alliance")
def alliance_create(request):
    return _keep_record(
        request,
        AllianceForm,
        actions.save_alliance,
        done=_("The alliance was recorded."),
        title=_("Record an alliance"),
        back="cooperation:actors",
    )


@permission_required("cooperation.view_alliance")
def alliance_edit(request, pk):
    alliance = get_object_or_404(Alliance, pk=pk)
    check_perm(request, "cooperation.change_alliance", alliance)
    return _keep_record(
        request,
        AllianceForm,
        actions.save_alliance,
        record=alliance,
        keyword="alliance",
        done=_("The alliance was saved."),
        back="cooperation:actors",
    )


@permission_required("cooperation.add_jointaction")
def joint_action_create(request):
    return _keep_record(
        request,
        JointActionForm,
        actions.record_joint_action,
        done=_("The joint action was recorded."),
        title=_("Record a joint action"),
        back="cooperation:actors",
        success="cooperation:actors",
        multipart=True,
    )


# --- Resource mobilisation --------------------------------------------------------------


@permission_required("cooperation.view_resourcerequest")
def resource_list(request):
    requests = selectors.resource_list()
    return render(
        request,
        "cooperation/resources.html",
        {
            "requests": requests,
            "totals": selectors.resource_totals(requests),
            "may_add": request.user.has_perm("cooperation.add_resourcerequest"),
        },
    )


@permission_required("cooperation.add_resourcerequest")
def resource_create(request):
    return _keep_record(
        request,
        ResourceRequestForm,
        actions.save_resource_request,
        done=_("The request was recorded."),
        title=_("Record a request for cooperation"),
        back="cooperation:resources",
        success="cooperation:resources",
    )


@permission_required("cooperation.view_resourcerequest")
def resource_edit(request, pk):
    record = get_object_or_404(ResourceRequest, pk=pk)
    check_perm(request, "cooperation.change_resourcerequest", record)
    return _keep_record(
        request,
        ResourceRequestForm,
        actions.save_resource_request,
        record=record,
        keyword="request",
        done=_("The request was saved."),
        back="cooperation:resources",
        success="cooperation:resources",
    )
