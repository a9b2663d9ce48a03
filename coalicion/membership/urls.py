from django.urls import path

from coalicion.membership import views

app_name = "membership"

urlpatterns = [
    path("", views.country_list, name="countries"),
    path("organs/", views.organ_list, name="organs"),
    path("directory/", views.directory, name="directory"),
    path("directory/new/", views.person_create, name="person_create"),
    path("directory/<int:pk>/", views.person_edit, name="person_edit"),
    path("<str:code>/", views.country_detail, name="country"),
]
