from django.urls import path

from . import views_policy as views

urlpatterns = [
    path("policy/", views.quality_policy, name="quality_policy"),
    path("policy/new/", views.policy_add, name="policy_add"),
    path("policy/<int:pk>/", views.policy_version, name="policy_version"),
    path("policy/<int:pk>/edit/", views.policy_edit, name="policy_edit"),
    path("policy/<int:pk>/approve/", views.policy_approve, name="policy_approve"),
    path("objectives/", views.objective_list, name="objective_list"),
    path("objectives/new/", views.objective_add, name="objective_add"),
    path("objectives/<int:pk>/", views.objective_detail, name="objective_detail"),
    path("objectives/<int:pk>/edit/", views.objective_edit, name="objective_edit"),
    path("objectives/<int:pk>/reviews/new/", views.review_add, name="objective_review_add"),
]
