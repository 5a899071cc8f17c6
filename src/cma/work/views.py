"""Staff pages for work: thin wrappers over the selectors and services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cma.audit.services import record
from cma.customers.models import Case
from cma.customers.selectors import get_customer_for
from cma.errors import DomainError, NotFound, PermissionDenied

from . import routing, selectors, services
from .forms import (
    AssignForm,
    CompleteForm,
    DeleteForm,
    FollowUpForm,
    IntrayForm,
    LockForm,
    RouteForm,
    TransferForm,
    UnlockForm,
    add_domain_error,
)
from .intray_links import links_for
from .models import Escalation


def _refused(request: HttpRequest, exc: DomainError) -> HttpResponse:
    if isinstance(exc, NotFound):
        raise Http404(exc.message)
    return render(request, "web/refused.html", {"message": exc.message}, status=exc.http_status)


def _status(form) -> int:
    return 422 if form.errors else 200


@login_required
def my_work(request: HttpRequest) -> HttpResponse:
    try:
        work = selectors.my_work(request.user)
    except DomainError as exc:
        return _refused(request, exc)
    return render(request, "work/my_work.html", work)


@login_required
@require_POST
def take_next(request: HttpRequest) -> HttpResponse:
    """WRK-4 "Get next work": assign the officer's next intray and open it."""
    try:
        item = services.next_work(officer=request.user)
    except DomainError as exc:
        return _refused(request, exc)
    if item is not None:
        item = selectors.next_work_result(request.user, item)
    if request.htmx:
        return render(request, "work/my_work.html#next-result", {"next_item": item, "took": True})
    if item is None:
        messages.info(request, "Nothing is waiting in your queues.")
        return redirect("work:my-work")
    who = f"{item.customer_name} {item.customer_crn}".strip()
    if item.already_yours:
        text = f"Intray {item.pk} for {who} was already yours (not started); it is now in progress."
    else:
        text = f"You now have intray {item.pk} for {who}; it is in progress."
    messages.success(request, text)
    return redirect("work:intray", intray_id=item.pk)


def _intray_page(request, item, status=200, **forms) -> HttpResponse:
    actor = request.user
    can_work = item.is_live and actor.has_perm("work.work_intray", item)
    cases = Case.objects.filter(payer=item.customer) | Case.objects.filter(payee=item.customer)
    selectors.with_privacy([item])
    selectors.with_customer_names(actor, [item])
    context = {
        # The page is about this customer: base.html shows their warnings first (DOC-6).
        "customer": item.customer,
        "item": item,
        "history": selectors.intray_history(item),
        "can_work": can_work,
        "complete_form": forms.get("complete") or CompleteForm(),
        "delete_form": forms.get("delete") or DeleteForm(),
        "assign_form": forms.get("assign") or AssignForm(actor=actor),
        "follow_form": forms.get("follow-up") or FollowUpForm(actor=actor, cases=cases),
        "follow_ups": list(item.follow_ups.select_related("type")),
        "links": links_for(item),
    }
    return render(request, "work/intray.html", context, status=status)


@login_required
def intray_detail(request: HttpRequest, intray_id: int) -> HttpResponse:
    try:
        item = selectors.intray_for(request.user, intray_id)
    except DomainError as exc:
        return _refused(request, exc)
    return _intray_page(request, item)


_ACTION_FORMS = {
    "complete": CompleteForm,
    "delete": DeleteForm,
    "assign": AssignForm,
    "follow-up": FollowUpForm,
}


def _run_action(request, item, action: str, form):
    actor = request.user
    if action == "start":
        return services.start_intray(intray=item, actor=actor), "Started: it is now yours."
    data = form.cleaned_data
    if action == "complete":
        services.complete_intray(intray=item, actor=actor, outcome=data["outcome"])
        return item, "Completed."
    if action == "delete":
        services.delete_intray(intray=item, actor=actor, reason=data["reason"])
        return item, "Deleted, with your reason recorded."
    if action == "assign":
        services.assign_intray(
            intray=item, actor=actor, due_on=data["due_on"], reason=data["reason"], **form.owner()
        )
        return item, "Re-assigned."
    case = Case.objects.filter(pk=data["case"]).first() if data.get("case") else None
    new = services.create_follow_up(
        parent=item,
        type_code=data["type_code"],
        actor=actor,
        case=case,
        due_on=data["due_on"],
        note=data["note"],
        **form.owner(),
    )
    return new, f"Follow-up intray {new.pk} created."


@login_required
@require_POST
def intray_action(request: HttpRequest, intray_id: int, action: str) -> HttpResponse:
    try:
        item = selectors.intray_for(request.user, intray_id, audit=False)
    except DomainError as exc:
        return _refused(request, exc)
    form = None
    if action in _ACTION_FORMS:
        kwargs: dict[str, object] = (
            {"actor": request.user} if action in ("assign", "follow-up") else {}
        )
        if action == "follow-up":
            kwargs["cases"] = Case.objects.filter(pk=item.case_id) if item.case_id else ()
        form = _ACTION_FORMS[action](request.POST, **kwargs)
    elif action != "start":
        raise Http404("unknown action")
    from_queue = request.POST.get("from") == "team-queue"
    if form is None or form.is_valid():
        try:
            _, message = _run_action(request, item, action, form)
        except DomainError as exc:
            if form is None:
                messages.error(request, exc.message)
                return redirect("work:intray", intray_id=item.pk)
            add_domain_error(form, exc)
        else:
            messages.success(request, message)
            return redirect(
                "work:team-queue" if from_queue else "work:intray", **_kw(from_queue, item)
            )
    return _intray_page(request, item, status=422, **{action: form})


def _kw(from_queue: bool, item) -> dict:
    return {} if from_queue else {"intray_id": item.pk}


@login_required
@require_POST
def acknowledge(request: HttpRequest, escalation_id: int) -> HttpResponse:
    escalation = Escalation.objects.select_related("intray").filter(pk=escalation_id).first()
    if escalation is None:
        raise Http404("no such escalation")
    try:
        services.acknowledge_escalation(escalation=escalation, actor=request.user)
    except (NotFound, PermissionDenied) as exc:
        return _refused(request, exc)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Escalation of intray {escalation.intray_id} acknowledged.")
    return redirect("work:team-queue")


_LOCK_FORMS = {"lock": LockForm, "unlock": UnlockForm, "transfer": TransferForm}


@login_required
@require_http_methods(["GET", "POST"])
def customer_lock(request: HttpRequest, customer_id: int, action: str) -> HttpResponse:
    """Lock, unlock or transfer from the customer page's panel; errors re-show the form.
    GET shows the form: to htmx only its fields, which the customer page loads when the
    officer opens them (the owner choices list every team and officer)."""
    if action not in _LOCK_FORMS:
        raise Http404("unknown action")
    try:
        customer = selectors.customer_for_work(request.user, customer_id, f"work.customer.{action}")
    except DomainError as exc:
        return _refused(request, exc)
    form_class = _LOCK_FORMS[action]
    data = request.POST if request.method == "POST" else None
    auto_id = f"{action}_%s"
    form = (
        form_class(data, auto_id=auto_id)
        if form_class is UnlockForm
        else form_class(data, actor=request.user, auto_id=auto_id)
    )
    if request.method == "GET":
        action_code = "work.customer.lock_form_viewed"
        record(actor=request.user, action=action_code, obj=customer, customer_id=customer.pk)
        context = {"customer": customer, "form": form, "action": action}
        template = "work/_lock_form.html" if request.htmx else "work/lock_form.html"
        return render(request, template, context)
    if form.is_valid():
        owner = form.owner() if hasattr(form, "owner") else {}
        reason = form.cleaned_data["reason"]
        try:
            if action == "lock":
                services.lock_customer(
                    customer=customer, actor=request.user, reason=reason, **owner
                )
            elif action == "unlock":
                services.unlock_customer(customer=customer, actor=request.user, reason=reason)
            else:
                services.transfer_lock(
                    customer=customer, actor=request.user, reason=reason, **owner
                )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            done = {
                "lock": "Customer locked.",
                "unlock": "Lock removed.",
                "transfer": "Lock transferred.",
            }
            messages.success(request, done[action])
            return redirect("web:customer-detail", customer_id=customer.pk)
    context = {"customer": customer, "form": form, "action": action}
    return render(request, "work/lock_form.html", context, status=422)


@login_required
def intray_new(request: HttpRequest, customer_id: int) -> HttpResponse:
    try:
        if request.method == "POST":
            customer = selectors.customer_for_work(request.user, customer_id, "work.intray.created")
        else:
            customer = get_customer_for(request.user, customer_id)
    except DomainError as exc:
        return _refused(request, exc)
    cases = Case.objects.filter(payer=customer) | Case.objects.filter(payee=customer)
    form = IntrayForm(request.POST or None, actor=request.user, cases=cases)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.create_intray(
                customer=customer,
                type_code=data["type_code"],
                actor=request.user,
                case=Case.objects.filter(pk=data["case"]).first() if data["case"] else None,
                due_on=data["due_on"],
                note=data["note"],
                **form.owner(),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"Intray {item.pk} created for {item.owner}.")
            return redirect("web:customer-detail", customer_id=customer.pk)
    return render(
        request, "work/intray_new.html", {"customer": customer, "form": form}, status=_status(form)
    )


@login_required
def route(request: HttpRequest, customer_id: int) -> HttpResponse:
    """CMA-8 "Where should this go?": the referral guidelines' advice per issue."""
    try:
        if request.method == "POST":
            customer = selectors.customer_for_work(
                request.user, customer_id, "work.routing.advised"
            )
        else:
            customer = get_customer_for(request.user, customer_id)
    except DomainError as exc:
        return _refused(request, exc)
    form = RouteForm(request.POST or None)
    advice = None
    if request.method == "POST" and form.is_valid():
        try:
            advice = routing.recommend(
                customer=customer, issues=form.cleaned_data["issues"], actor=request.user
            )
        except DomainError as exc:
            add_domain_error(form, exc)
    context = {"customer": customer, "form": form, "advice": advice}
    if request.htmx:  # the advice, or the error summary (htmx swaps a 422 too)
        return render(request, "work/route.html#advice", context, status=_status(form))
    return render(request, "work/route.html", context, status=_status(form))
