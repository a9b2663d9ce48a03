from django.urls import path

from coalicion.plans import views

app_name = "plans"

urlpatterns = [
    path("<slug:code>/", views.plan_overview, name="plan"),
    path("<slug:code>/axes/<str:axis>/", views.axis_detail, name="axis"),
    path("<slug:code>/indicators/", views.indicator_list, name="indicators"),
    path("<slug:code>/poa/", views.poa_latest, name="poa_latest"),
    path("<slug:code>/poa/<int:year>/", views.poa_detail, name="poa"),
    path("<slug:code>/notes/", views.data_notes, name="notes"),
]
