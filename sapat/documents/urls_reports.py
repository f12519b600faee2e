from django.urls import path

from . import views_reports as v

urlpatterns = [
    path("reports/", v.reports_index, name="reports_index"),
    path("reports/register.xlsx", v.register_xlsx, name="document_register_xlsx"),
    path("reports/register.pdf", v.register_pdf, name="document_register_pdf"),
    path("reports/acquaintance/", v.acquaintance_report, name="acquaintance_report"),
    path("reports/acquaintance.xlsx", v.acquaintance_report_xlsx, name="acquaintance_report_xlsx"),
    path("reports/review-due/", v.review_due_report, name="review_due_report"),
    path("reports/review-due.xlsx", v.review_due_report_xlsx, name="review_due_report_xlsx"),
    path("reports/review-due.pdf", v.review_due_report_pdf, name="review_due_report_pdf"),
    path("<int:pk>/acquaintance.pdf", v.acquaintance_pdf, name="document_acquaintance_pdf"),
    path("<int:pk>/change-sheet.pdf", v.change_sheet_pdf, name="document_change_sheet_pdf"),
]
