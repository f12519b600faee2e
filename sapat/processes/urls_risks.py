from django.urls import path

from . import views_risks as views

urlpatterns = [
    path("risks/", views.risk_list, name="risk_list"),
    path("risks/heatmap/", views.risk_heatmap, name="risk_heatmap"),
    path("risks/new/", views.risk_add, name="risk_add"),
    path("risks/<int:pk>/", views.risk_detail, name="risk_detail"),
    path("risks/<int:pk>/edit/", views.risk_edit, name="risk_edit"),
    path("risks/<int:pk>/actions/new/", views.action_add, name="risk_action_add"),
    path("risks/actions/<int:pk>/done/", views.action_done, name="risk_action_done"),
    path("risks/actions/<int:pk>/edit/", views.action_edit, name="risk_action_edit"),
    path("risks/actions/<int:pk>/delete/", views.action_delete, name="risk_action_delete"),
    path("risks/scale/", views.risk_scale, name="risk_scale"),
    path("swot/", views.swot_list, name="swot_list"),
    path("swot/new/", views.swot_add, name="swot_add"),
    path("swot/<int:pk>/", views.swot_detail, name="swot_detail"),
    path("swot/<int:pk>/items/new/", views.swot_item_add, name="swot_item_add"),
    path("swot/items/<int:pk>/risk/", views.swot_item_to_risk, name="swot_item_to_risk"),
    path("swot/items/<int:pk>/edit/", views.swot_item_edit, name="swot_item_edit"),
    path("swot/items/<int:pk>/delete/", views.swot_item_delete, name="swot_item_delete"),
    path("swot/items/<int:pk>/objective/", views.swot_item_to_objective, name="swot_item_to_objective"),
]
