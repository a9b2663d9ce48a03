from django.urls import path

from coalicion.membership import views

app_name = "membership"

urlpatterns = [
    path("", views.country_list, name="countries"),
    path("organs/", views.organ_list, name="organs"),
    path("<str:code>/", views.country_detail, name="country"),
]
