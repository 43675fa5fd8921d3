from django.urls import path

from haicap.reports import decision_views, filing_views, print_views, province_views

app_name = "reports"

REPORT = "<id:report_id>/"
PERIOD = "tinh/<slug:code>/<day:start>/"

urlpatterns = [
    # The commune writes, submits and prints its reports.
    path("", filing_views.mine, name="mine"),
    path("mo/", filing_views.open_report, name="open"),
    path(REPORT, filing_views.detail, name="report"),
    path(f"{REPORT}luu/", filing_views.save, name="save"),
    path(f"{REPORT}doc-lai/", filing_views.refresh, name="refresh"),
    path(f"{REPORT}nop/", filing_views.submit, name="submit"),
    path(f"{REPORT}lan/<int:number>/", filing_views.submission, name="submission"),
    path(f"{REPORT}lan/<int:number>/bao-cao.docx", print_views.docx, name="docx"),
    path(f"{REPORT}lan/<int:number>/bao-cao.pdf", print_views.pdf, name="pdf"),
    # The province decides on a submitted report.
    path(f"{REPORT}duyet/", decision_views.approve, name="approve"),
    path(f"{REPORT}tra-lai/", decision_views.return_report, name="return"),
    # The province: who filed, rates, the consolidated report, trends across the reform.
    path("tinh/", province_views.overview, name="overview"),
    path(PERIOD, province_views.period, name="period"),
    path(f"{PERIOD}tong-hop.xlsx", province_views.consolidated, name="consolidated"),
    path("tinh/<slug:code>/xu-huong/", province_views.trends, name="trends"),
    path("tinh/<slug:code>/xu-huong/bieu-do.svg", province_views.trend_chart, name="trend_chart"),
]
