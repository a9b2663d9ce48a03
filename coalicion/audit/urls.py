from django.urls import path

from coalicion.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.log, name="log"),
    path("history/<slug:app_label>/<slug:model_name>/<int:pk>/", views.history, name="history"),
]
