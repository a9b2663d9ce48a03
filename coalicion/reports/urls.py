from django.urls import path

from coalicion.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.archive, name="archive"),
    path("<int:pk>/", views.report, name="report"),
    path("<int:pk>/<str:file_format>/", views.download, name="download"),
    path("poa/<int:year>/<str:file_format>/", views.poa_document, name="poa_document"),
    path("matrix/<int:year>/", views.matrix_pdf, name="matrix_pdf"),
]
