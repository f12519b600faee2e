from django.urls import path

from . import views_projects as views

urlpatterns = [
    path("self-evaluation/", views.project_list, name="se_project_list"),
    path("self-evaluation/new/", views.project_add, name="se_project_add"),
    path("self-evaluation/<int:pk>/", views.project_detail, name="se_project_detail"),
    path("self-evaluation/<int:pk>/edit/", views.project_edit, name="se_project_edit"),
    path("self-evaluation/<int:pk>/start/", views.project_start, name="se_project_start"),
    path("self-evaluation/<int:pk>/members/", views.member_add, name="se_member_add"),
    path("self-evaluation/<int:pk>/plan/", views.plan_item_add, name="se_plan_item_add"),
    path("self-evaluation/<int:pk>/compiler/", views.compiler_set, name="se_compiler_set"),
    path("self-evaluation/<int:pk>/experts/", views.expert_grant, name="se_expert_grant"),
    path("self-evaluation/<int:pk>/stakeholders/", views.stakeholder_rate, name="se_stakeholder_rate"),
    path("self-evaluation/<int:pk>/remarks/", views.remark_add, name="se_remark_add"),
    path("self-evaluation/<int:pk>/remarks/<int:remark_pk>/measures/", views.measure_add, name="se_measure_add"),
    path("self-evaluation/<int:pk>/progress.pdf", views.progress_report, name="se_progress_report"),
    path("self-evaluation/<int:pk>/next-year/", views.project_copy, name="se_project_copy"),
    path("self-evaluation/reports/<int:pk>/", views.report_detail, name="se_report_detail"),
    path("self-evaluation/reports/<int:pk>/submit/", views.report_submit, name="se_report_submit"),
    path("self-evaluation/reports/<int:pk>/report.<str:fmt>", views.report_download, name="se_report_download"),
    path("self-evaluation/criteria/<int:pk>/", views.assessment_detail, name="se_assessment_detail"),
    path("self-evaluation/criteria/<int:pk>/assign/", views.assessment_assign, name="se_assessment_assign"),
    path("self-evaluation/criteria/<int:pk>/evidence/", views.evidence_add, name="se_evidence_add"),
    path("self-evaluation/evidence/<int:pk>/remove/", views.evidence_remove, name="se_evidence_remove"),
    path("self-evaluation/criteria/<int:pk>/<str:step>/", views.assessment_step, name="se_assessment_step"),
]
