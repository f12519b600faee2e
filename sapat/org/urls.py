from django.urls import path

from . import views

urlpatterns = [
    path("institution/", views.switch_institution, name="switch_institution"),
    path("units/", views.unit_tree, name="unit_tree"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<int:pk>/add/", views.unit_add, name="unit_add"),
    path("units/<int:pk>/close/", views.unit_close, name="unit_close"),
    path("units/<int:pk>/reopen/", views.unit_reopen, name="unit_reopen"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_add, name="person_add"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/positions/new/", views.position_add, name="position_add"),
    path("people/<int:pk>/account/", views.account_add, name="account_add"),
    path("people/<int:pk>/account/toggle/", views.account_toggle, name="account_toggle"),
    path("people/<int:pk>/roles/new/", views.role_add, name="role_add"),
    path("positions/<int:pk>/edit/", views.position_edit, name="position_edit"),
    path("positions/<int:pk>/end/", views.position_end, name="position_end"),
    path("roles/<int:pk>/end/", views.role_end, name="role_end"),
    path("programmes/", views.programme_list, name="programme_list"),
    path("programmes/new/", views.programme_add, name="programme_add"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("programmes/<int:pk>/edit/", views.programme_edit, name="programme_edit"),
    path("programmes/<int:pk>/groups/new/", views.group_add, name="group_add"),
    path("programmes/<int:pk>/contingent/", views.contingent_edit, name="contingent_edit"),
    path("groups/<int:pk>/edit/", views.group_edit, name="group_edit"),
    path("academic-years/", views.academic_year_list, name="academic_year_list"),
    path("academic-years/new/", views.academic_year_edit, name="academic_year_add"),
    path("academic-years/<int:pk>/edit/", views.academic_year_edit, name="academic_year_edit"),
    path("academic-years/<int:year_pk>/semesters/new/", views.semester_edit, name="semester_add"),
    path("academic-years/<int:year_pk>/semesters/<int:pk>/edit/", views.semester_edit, name="semester_edit"),
]

