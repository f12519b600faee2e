from django.urls import path

from . import views_register as views

urlpatterns = [
    path("register/", views.register, name="accreditation_register"),
    path("register/new/", views.accreditation_add, name="accreditation_add"),
    path("register/first-graduation/", views.first_graduation_add, name="first_graduation_add"),
    path("register/<int:pk>/", views.accreditation_detail, name="accreditation_detail"),
    path("register/<int:pk>/edit/", views.accreditation_edit, name="accreditation_edit"),
    path("register/<int:pk>/events/", views.event_add, name="accreditation_event_add"),
]
