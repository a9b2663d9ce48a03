from django.urls import path

from coalicion.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.user_list, name="users"),
    path("invite/", views.user_invite, name="invite"),
    path("<int:pk>/", views.user_detail, name="user"),
    path("<int:pk>/representation/", views.user_add_representation, name="add_representation"),
    path("<int:pk>/<slug:action>/", views.user_action, name="user_action"),
    path("invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
]
