from django.urls import path

from coalicion.legal import views

app_name = "legal"

urlpatterns = [
    path("glossary/", views.glossary, name="glossary"),
    path("instruments/", views.framework, name="framework"),
]
