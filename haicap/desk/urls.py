from django.urls import path

from haicap.accounts import views as accounts
from haicap.desk import views as desk
from haicap.units import views as registry

app_name = "desk"

urlpatterns = [
    path("", desk.home, name="home"),
    path("login/", accounts.SignInView.as_view(), name="login"),
    path("logout/", accounts.SignOutView.as_view(), name="logout"),
    path("account/", accounts.account, name="account"),
    path("account/tokens/", accounts.issue_token, name="issue_token"),
    path("account/tokens/<int:token_id>/revoke/", accounts.revoke_token, name="revoke_token"),
    path("registry/units/", registry.unit_list, name="unit_list"),
    path("registry/units/<int:unit_id>/", registry.unit_detail, name="unit_detail"),
    path("registry/agencies/", registry.agency_list, name="agency_list"),
]
