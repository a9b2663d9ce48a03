from django.urls import path

from coalicion.monitoring.views import dashboard, indicators, matrix, periods, reports, spreadsheets

app_name = "monitoring"

urlpatterns = [
    # Dashboards and charts (one Vega-Lite spec per chart).
    path("", dashboard.dashboard, name="dashboard"),
    path("charts/<slug:name>.json", dashboard.chart_spec, name="chart"),
    # The monitoring matrix and the POA execution tree.
    path("matrix/", matrix.matrix, name="matrix"),
    path("matrix.xlsx", matrix.matrix_xlsx, name="matrix_xlsx"),
    path("poa/<int:year>/", matrix.execution_tree, name="tree"),
    # Indicators: values, trend, pace, drill-down.
    path("indicators/<int:pk>/", indicators.indicator_detail, name="indicator"),
    path("indicators/<int:pk>/records/", indicators.drill_down, name="drill_down"),
    path("indicators/<int:pk>/values/", indicators.enter_value, name="enter_value"),
    path("values/review/", indicators.review_queue, name="value_review_queue"),
    path("values/<int:pk>/review/", indicators.review_value, name="review_value"),
    # Progress reports, validation and evidence.
    path("reports/", reports.my_reports, name="my_reports"),
    path("reports/<int:period>/<int:activity>/", reports.report_form, name="report"),
    path(
        "reports/<int:period>/<int:activity>/<str:country>/",
        reports.report_form,
        name="report_part",
    ),
    path("activities/<int:pk>/", reports.activity_reports, name="activity"),
    path("reports/review/", reports.review_queue, name="review_queue"),
    path("reports/<int:pk>/review/", reports.review_report, name="review_report"),
    path("evidence/<int:pk>/", reports.download_evidence, name="evidence"),
    # Excel round-trip of a period's reports.
    path(
        "reports/<int:period>/template.xlsx", spreadsheets.report_template, name="report_template"
    ),
    path("reports/<int:period>/upload/", spreadsheets.upload_reports, name="upload_reports"),
    # Periods, POAs, completeness and timeliness.
    path("periods/", periods.period_list, name="periods"),
    path("periods/create/<int:year>/", periods.create_periods, name="create_periods"),
    path("periods/<int:pk>/close/", periods.close, name="close_period"),
    path("periods/<int:pk>/reopen/", periods.reopen, name="reopen_period"),
    path("poa/<int:year>/copy-forward/", periods.copy_forward, name="copy_forward"),
    path("completeness/", periods.completeness, name="completeness"),
]
