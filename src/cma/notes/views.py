"""Staff pages for notepads, macros and stacking documents: thin wrappers over the
selectors and services. A refusal is shown beside the field it names; personal
information is shown to its author with each offending span marked."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cma.customers.models import Case
from cma.customers.selectors import get_customer_for
from cma.errors import DomainError, NotFound

from . import selectors, services
from .forms import NoteForm, NotepadForm, NoteSearchForm, PointerForm, StackingForm
from .macros import active_macros, get_macro, may_use
from .models import Note, NoteFunction


def refused(request: HttpRequest, exc: DomainError) -> HttpResponse:
    if isinstance(exc, NotFound):
        raise Http404(exc.message)
    return render(request, "web/refused.html", {"message": exc.message}, status=exc.http_status)


def _cases(customer) -> list[Case]:
    return list(Case.objects.filter(Q(payer=customer) | Q(payee=customer)).order_by("case_number"))


@login_required
@require_GET
def customer_notes(request: HttpRequest, customer_id: int) -> HttpResponse:
    """All of a customer's notepads, searchable by subject and date (DOC-1)."""
    try:
        customer = get_customer_for(request.user, customer_id, purpose="notes-listed")
        selectors.require_perm(request.user, "notes.view_notes", customer, "no access to notes")
    except DomainError as exc:
        return refused(request, exc)
    form = NoteSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    notes = selectors.search_notes(
        customer,
        subject=filters.get("subject") or "",
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    context = {"customer": customer, "form": form, "notes": notes}
    if request.htmx:
        return render(request, "notes/customer_notes.html#results", context)
    return render(request, "notes/customer_notes.html", context)


def _chosen_macro(request: HttpRequest):
    code = request.POST.get("macro") or request.GET.get("macro") or ""
    if not code:
        return None
    try:
        macro = get_macro(code)
    except DomainError:
        return None
    return macro if may_use(request.user, macro) else None


def _is_read(request: HttpRequest) -> bool:
    """A GET is the read (one audit row); a POST's service writes the operation's row."""
    return request.method == "GET"


@login_required
@require_http_methods(["GET", "POST"])
def new_note(request: HttpRequest, customer_id: int) -> HttpResponse:
    """Write a note, free text or from a macro (DOC-1..DOC-3)."""
    try:
        customer = get_customer_for(
            request.user, customer_id, purpose="note-writing", audit=_is_read(request)
        )
        selectors.require_perm(request.user, "notes.add_note", customer, "no access to notes")
    except DomainError as exc:
        return refused(request, exc)
    macro = _chosen_macro(request)
    form = NoteForm(request.POST or None, cases=_cases(customer), macro=macro)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            # Guarded by the condition; mypy does not narrow a repeated .get() call.
            case = Case.objects.filter(pk=data.get("case")).first() if data.get("case") else None  # type: ignore[misc]
            try:
                note = services.add_note(
                    customer=customer,
                    actor=request.user,
                    subject=data["subject"],
                    body=data["body"],
                    case=case,
                    macro_code=macro.code if macro else None,
                    macro_fields=form.macro_values() if macro else None,
                    function=data.get("function") or None,
                )
            except DomainError as exc:
                form.apply_refusal(exc)
            else:
                messages.success(request, f"Note '{note.subject}' saved.")
                return redirect("notes:customer-notes", customer_id=customer.pk)
        status = 422
    context = {
        "customer": customer,
        "form": form,
        "macro": macro,
        "macros": active_macros(request.user),
    }
    return render(request, "notes/note_form.html", context, status=status)


def _note_page(request, note, form, status=200) -> HttpResponse:
    context = {"customer": note.customer, "note": note, "form": form}
    return render(request, "notes/note_detail.html", context, status=status)


@login_required
@require_GET
def note_detail(request: HttpRequest, note_id: int) -> HttpResponse:
    try:
        note = selectors.note_for(request.user, note_id)
    except DomainError as exc:
        return refused(request, exc)
    return _note_page(request, note, NoteForm(correction=True))


@login_required
@require_POST
def correct_note(request: HttpRequest, note_id: int) -> HttpResponse:
    """A correction is a new note linked to the one it corrects (DOC-1)."""
    try:
        note = selectors.note_for(request.user, note_id, audit=False)
    except DomainError as exc:
        return refused(request, exc)
    form = NoteForm(request.POST, correction=True)
    if form.is_valid():
        try:
            fix = services.add_note(
                customer=note.customer,
                actor=request.user,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                case=note.case,
                corrects=Note.objects.get(pk=note.pk),
                function=note.function,
            )
        except DomainError as exc:
            form.apply_refusal(exc)
        else:
            messages.success(request, "Correction saved as a new note.")
            return redirect("notes:note-detail", note_id=fix.pk)
    return _note_page(request, note, form, status=422)


@login_required
@require_http_methods(["GET", "POST"])
def new_stacking(request: HttpRequest, customer_id: int) -> HttpResponse:
    """Create a stacking document (DOC-4); the PS one opens with 'PS referral'."""
    try:
        customer = get_customer_for(
            request.user, customer_id, purpose="stacking-creating", audit=_is_read(request)
        )
    except DomainError as exc:
        return refused(request, exc)
    form = StackingForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                document = services.create_stacking_document(
                    customer=customer, actor=request.user, **form.cleaned_data
                )
            except DomainError as exc:
                form.apply_refusal(exc)
            else:
                messages.success(request, f"Stacking document '{document.heading}' created.")
                return redirect("notes:stacking-detail", document_id=document.pk)
        status = 422
    context = {"customer": customer, "form": form}
    return render(request, "notes/stacking_form.html", context, status=status)


def _stacking_page(request, document, notepad_form=None, pointer_form=None, status=200):
    customer = document.customer
    pointable = Note.objects.filter(customer=customer).exclude(
        function__in=[NoteFunction.GENERAL, NoteFunction.PERSONALISED]
    )[:100]
    context = {
        "customer": customer,
        "document": document,
        "entries": list(document.entries.all()),
        "notepad_form": notepad_form or NotepadForm(),
        "pointer_form": pointer_form or PointerForm(notes=pointable),
    }
    return render(request, "notes/stacking_detail.html", context, status=status)


@login_required
@require_GET
def stacking_detail(request: HttpRequest, document_id: int) -> HttpResponse:
    try:
        document = selectors.stacking_document_for(request.user, document_id)
    except DomainError as exc:
        return refused(request, exc)
    return _stacking_page(request, document)


@login_required
@require_POST
def stacking_notepad(request: HttpRequest, document_id: int) -> HttpResponse:
    try:
        document = selectors.stacking_document_for(request.user, document_id, audit=False)
    except DomainError as exc:
        return refused(request, exc)
    form = NotepadForm(request.POST)
    if form.is_valid():
        try:
            services.add_notepad(document=document, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.apply_refusal(exc)
        else:
            messages.success(request, "Notepad added.")
            return redirect("notes:stacking-detail", document_id=document.pk)
    return _stacking_page(request, document, notepad_form=form, status=422)


@login_required
@require_POST
def stacking_pointer(request: HttpRequest, document_id: int) -> HttpResponse:
    try:
        document = selectors.stacking_document_for(request.user, document_id, audit=False)
    except DomainError as exc:
        return refused(request, exc)
    notes = Note.objects.filter(customer_id=document.customer_id).exclude(
        function__in=[NoteFunction.GENERAL, NoteFunction.PERSONALISED]
    )[:100]
    form = PointerForm(request.POST, notes=notes)
    if form.is_valid():
        note = Note.objects.get(pk=form.cleaned_data["note"], customer_id=document.customer_id)
        try:
            services.add_pointer(
                document=document, actor=request.user, note=note, label=form.cleaned_data["label"]
            )
        except DomainError as exc:
            form.apply_refusal(exc)
        else:
            messages.success(request, "Pointer added.")
            return redirect("notes:stacking-detail", document_id=document.pk)
    return _stacking_page(request, document, pointer_form=form, status=422)
