"""Customer, case and import endpoints."""

from django.http import HttpRequest
from ninja import Router, Status

from cma.errors import PermissionDenied
from cma.schemas import ERRORS, PathId

from . import imports, selectors
from .schemas import (
    CaseOut,
    CustomerHitOut,
    CustomerOut,
    CustomerSearchIn,
    ImportIn,
    ImportOut,
)

router = Router(tags=["customers"])


def customer_out(customer) -> dict:
    overview = selectors.customer_overview(customer)
    data = {f: getattr(customer, f) for f in CustomerOut.model_fields if hasattr(customer, f)}
    data.update(
        phones=overview["phones"],
        alternative_contacts=overview["alternative_contacts"],
        representatives=[
            {
                "id": a.representative.pk,
                "name": a.representative.name,
                "organisation": a.representative.organisation,
                "starts_on": a.starts_on,
                "ends_on": a.ends_on,
            }
            for a in overview["representatives"]
        ],
        case_ids=[c.pk for c in overview["cases"]],
        time_zone=customer.zone,
        local_time=overview["customer_local_time"],
    )
    return data


# POST so that names and reference numbers never appear in URLs or access logs.
@router.post("/customers/search", response={200: list[CustomerHitOut], **ERRORS})
def search_customers(request: HttpRequest, payload: CustomerSearchIn):
    return selectors.search_customers(request.user, payload.query, payload.limit)


@router.get("/customers/{customer_id}", response={200: CustomerOut, **ERRORS})
def read_customer(request: HttpRequest, customer_id: PathId):
    return customer_out(selectors.get_customer_for(request.user, customer_id))


@router.get("/cases/{case_id}", response={200: CaseOut, **ERRORS})
def read_case(request: HttpRequest, case_id: PathId):
    case = selectors.get_case_for(request.user, case_id)
    account = getattr(case, "account", None)
    return {
        "id": case.pk,
        "case_number": case.case_number,
        "payer_id": case.payer_id,
        "payee_id": case.payee_id,
        "started_on": case.started_on,
        "children": list(case.children.all()),
        "account": account,
    }


@router.post("/imports", response={201: ImportOut, **ERRORS})
def bulk_import(request: HttpRequest, payload: ImportIn):
    if not request.user.has_perm("customers.import_customers"):
        raise PermissionDenied("only administrators and team leaders may import feeds")
    count = imports.import_rows(
        kind=payload.kind,
        data=payload.content.encode(),
        fmt=payload.format,
        actor=request.user,
    )
    return Status(201, {"imported": count})
