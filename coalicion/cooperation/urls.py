from django.urls import path

from coalicion.cooperation import views

app_name = "cooperation"

urlpatterns = [
    path("", views.instrument_list, name="instruments"),
    path("instruments/new/", views.instrument_create, name="instrument_create"),
    path("instruments/<int:pk>/", views.instrument_detail, name="instrument"),
    path("instruments/<int:pk>/edit/", views.instrument_edit, name="instrument_edit"),
    path("instruments/<int:pk>/stage/", views.change_stage, name="change_stage"),
    path("instruments/evidence/<int:pk>/", views.stage_evidence, name="stage_evidence"),
    path("evidence/<int:pk>/", views.record_evidence, name="record_evidence"),
    path("practices/", views.practice_list, name="practices"),
    path("practices/new/", views.practice_create, name="practice_create"),
    path("practices/<int:pk>/", views.practice_detail, name="practice"),
    path("practices/<int:pk>/edit/", views.practice_edit, name="practice_edit"),
    path("practices/<int:pk>/replications/", views.replication_create, name="replication_create"),
    path("actors/", views.actor_list, name="actors"),
    path("actors/new/", views.actor_create, name="actor_create"),
    path("actors/<int:pk>/", views.actor_detail, name="actor"),
    path("actors/<int:pk>/edit/", views.actor_edit, name="actor_edit"),
    path("alliances/new/", views.alliance_create, name="alliance_create"),
    path("alliances/<int:pk>/edit/", views.alliance_edit, name="alliance_edit"),
    path("joint-actions/new/", views.joint_action_create, name="joint_action_create"),
    path("resources/", views.resource_list, name="resources"),
    path("resources/new/", views.resource_create, name="resource_create"),
    path("resources/<int:pk>/edit/", views.resource_edit, name="resource_edit"),
]
