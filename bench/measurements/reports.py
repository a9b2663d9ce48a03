"""Reports (issue 15): the accountability report of a biennium (the first
two operating plans of the synthetic dataset), as PDF and as XLSX, in
Spanish, as of the measurement's date. The PDF includes drawing the charts
(vl-convert; its one-time start-up falls in the warm-up run)."""

from bench import Context, Measured, Skip, measurement, time_it


def _biennium(ctx: Context):
    from coalicion.reports.assembly import years_period

    years = sorted(ctx.plan.operating_plans.values_list("year", flat=True))
    if len(years) < 2:
        raise Skip("fewer than two operating plans: seed the synthetic dataset")
    return years_period(years[0], years[1])


@measurement("accountability_pdf")
def accountability_pdf(ctx: Context) -> list[Measured]:
    from django.utils import translation

    from coalicion.reports import assembly, document

    period = _biennium(ctx)

    def run():
        with translation.override("es"):
            data = assembly.accountability_data(plan=ctx.plan, period=period, as_of=ctx.as_of)
            return document.accountability_pdf(data)

    median, queries, pdf = time_it(run, ctx.runs)
    return [Measured("accountability_pdf", median, queries, {"kb": len(pdf) / 1024})]


@measurement("accountability_xlsx")
def accountability_xlsx(ctx: Context) -> list[Measured]:
    from django.utils import translation

    from coalicion.reports import assembly, workbook

    period = _biennium(ctx)

    def run():
        with translation.override("es"):
            data = assembly.accountability_data(plan=ctx.plan, period=period, as_of=ctx.as_of)
            return workbook.accountability_xlsx(data)

    median, queries, xlsx = time_it(run, ctx.runs)
    return [Measured("accountability_xlsx", median, queries, {"kb": len(xlsx) / 1024})]
