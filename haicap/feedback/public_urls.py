from django.urls import path

from haicap.feedback import public_views, rating_views

app_name = "feedback_public"

urlpatterns = [
    path("phan-anh/", public_views.answered_list, name="answered"),
    path("phan-anh/gui/", public_views.file_petition, name="file"),
    path("phan-anh/gui/don-vi/", public_views.unit_search, name="unit_search"),
    path("phan-anh/da-gui/<str:code>/", public_views.filed, name="filed"),
    path("phan-anh/tra-cuu/", public_views.look_up, name="look_up"),
    path("phan-anh/tra-cuu/tep/<int:attachment_id>/", public_views.attachment, name="attachment"),
    path("phan-anh/<str:code>/", public_views.answered_detail, name="answered_detail"),
    path("danh-gia/ho-so/", rating_views.rate_dossier, name="rate_dossier"),
]
