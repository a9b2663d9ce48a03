from django.urls import path

from coalicion.statistics import views

app_name = "statistics"

urlpatterns = [
    path("", views.index, name="index"),
    path("explore/", views.explore, name="explore"),
    path("explore/chart.json", views.chart, name="chart"),
    path("explore/export.<str:file_format>", views.export, name="export"),
    path("imports/", views.imports, name="imports"),
    path("imports/<int:pk>/", views.upload, name="upload"),
    path(
        "templates/<str:measure>/<str:kind>.<str:file_format>",
        views.template,
        name="template",
    ),
    path("sources/", views.batches, name="batches"),
]
