from django.urls import path

from haicap.feedback import desk_views, figures_views

app_name = "feedback"

urlpatterns = [
    path("", desk_views.queue, name="queue"),
    path("moi/", desk_views.file_for_sender, name="file"),
    path("so-lieu/", figures_views.figures, name="figures"),
    path("<str:code>/", desk_views.detail, name="detail"),
    path("<str:code>/phan-cong/", desk_views.assign, name="assign"),
    path("<str:code>/bat-dau/", desk_views.start, name="start"),
    path("<str:code>/han-buoc/", desk_views.step_deadline, name="step_deadline"),
    path("<str:code>/chuyen/", desk_views.transfer, name="transfer"),
    path("<str:code>/tra-loi/", desk_views.answer, name="answer"),
    path("<str:code>/anh/<int:photo_id>/", desk_views.photo, name="photo"),
    path("<str:code>/tep/<int:attachment_id>/", desk_views.attachment, name="attachment"),
]
