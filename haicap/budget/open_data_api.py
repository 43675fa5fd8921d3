"""``/api/v1/budget/``: the plans and their changes as a Fiscal Data Package (the zip, or its
``datapackage.json`` alone), of the projects the caller reads."""

from typing import Annotated

from django.http import FileResponse, HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from haicap.budget import fiscal_package, open_data
from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.api import SingleLine, errors

router = Router(tags=["budget"])


PlanCode = Annotated[SingleLine, Field(min_length=1, max_length=20)]


class PackageQuery(Schema):
    plan: list[PlanCode] = Field(
        [],
        max_length=20,
        description="a plan's code (2021-2025, 2025…), repeated for several; none: every plan",
    )


ZIP = {
    "description": "The Fiscal Data Package, zipped: datapackage.json and data/*.csv",
    "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
}
DESCRIPTOR = {
    "description": "The package's descriptor (a Fiscal Data Package's datapackage.json)",
    "content": {"application/json": {"schema": {"type": "object"}}},
}


@router.get(
    "/budget/open-data.zip",
    operation_id="haicap_budget_open_data_zip",
    response={**errors(401, 422)},
    summary="The capital plans, their ledger and disbursement as a Fiscal Data Package (zip)",
    description=(
        "Five CSV tables (plans, projects, plan balances, ledger changes, monthly "
        "disbursement) described by datapackage.json, of the projects the caller reads: "
        "Finance and supervisors the province, an investor its own projects. Amounts in whole "
        "đồng."
    ),
    openapi_extra={"responses": {"200": ZIP}},
)
def open_data_zip(request: HttpRequest, query: Query[PackageQuery]) -> FileResponse:
    plans = open_data.chosen_plans(request.user, query.plan)
    on = clock.now().astimezone(VIETNAM).date()
    return FileResponse(
        open_data.package_file(request.user, plans),
        as_attachment=True,
        filename=open_data.file_name(on),
        content_type="application/zip",
    )


@router.get(
    "/budget/open-data/datapackage.json",
    operation_id="haicap_budget_open_data_descriptor",
    response={**errors(401, 422)},
    summary="The descriptor (datapackage.json) of the capital plans' Fiscal Data Package",
    openapi_extra={"responses": {"200": DESCRIPTOR}},
)
def open_data_descriptor(request: HttpRequest, query: Query[PackageQuery]) -> HttpResponse:
    plans = open_data.chosen_plans(request.user, query.plan)
    described = open_data.descriptor(request.user, plans)
    return HttpResponse(fiscal_package.descriptor_json(described), content_type="application/json")
