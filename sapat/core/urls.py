from django.contrib.auth import views as auth_views
from django.urls import path

from . import attachment_views, audit_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("language/", views.set_language, name="set_language"),
    path("permissions/", views.permission_matrix, name="permission_matrix"),
    path("audit/", audit_views.audit_log, name="audit_log"),
    path("audit/<str:app_label>/<str:model>/<str:object_id>/", views.record_history, name="record_history"),
    path("files/<int:pk>/", attachment_views.attachment_download, name="attachment_download"),
    path("files/<int:pk>/remove/", attachment_views.attachment_delete, name="attachment_delete"),
    path(
        "files/add/<int:content_type_id>/<int:object_id>/",
        attachment_views.attachment_upload,
        name="attachment_upload",
    ),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"
    ),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
