"""Showing a privacy refusal on a page: each finding beside its field, quoting the
author's own text, and the submitted text with every offending span marked
(`privacy/_findings.html`, `privacy/_marked.html`). The error never carries the
text; the page takes it from what the author just submitted."""

from typing import Any

from cma.errors import DomainError


class RefusalMixin:
    """For a Django form: show a DomainError beside the fields it names; findings
    with spans are kept per field so the page can mark them."""

    field_map: dict[str, str] = {}
    auto_prefix = ""  # distinct ids when several forms share a page

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if self.auto_prefix:
            kwargs.setdefault("auto_id", f"id_{self.auto_prefix}_%s")
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]

    def apply_refusal(self, exc: DomainError) -> None:
        self.findings: dict[str, list[dict]] = {}
        details = exc.details or [{"field": exc.field, "message": exc.message}]
        placed = False
        for detail in details:
            name = self._field_name(detail.get("field"))
            if "start" in detail and name:
                self.findings.setdefault(name, []).append(detail)
                # Shown to the author only; the error itself never carries the text.
                found = self._submitted(name)[detail["start"] : detail["end"]]
                label = detail["message"].split(" at characters")[0]
                message = f"{label[:1].upper()}{label[1:]} \u201c{found}\u201d. {detail['hint']}"
            else:
                message = detail.get("message") or exc.message
            if name:
                self.add_error(name, message)  # type: ignore[attr-defined]
                placed = True
        if not placed:
            self.add_error(None, exc.message)  # type: ignore[attr-defined]

    def _submitted(self, name: str) -> str:
        return str(self.data.get(name, "")).strip()  # type: ignore[attr-defined]

    def _field_name(self, field: str | None) -> str | None:
        if not field:
            return None
        field = self.field_map.get(field, field)
        if field.startswith("macro_fields."):
            field = "mf_" + field.split(".", 1)[1]
        return field if field in self.fields else None  # type: ignore[attr-defined]

    def highlighted(self) -> list[dict[str, Any]]:
        """Per field with findings: the submitted text cut into plain and found parts."""
        result = []
        for name, found in getattr(self, "findings", {}).items():
            text = self._submitted(name)
            parts, at = [], 0
            for d in sorted(found, key=lambda d: d["start"]):
                parts.append({"text": text[at : d["start"]], "hit": False})
                parts.append({"text": text[d["start"] : d["end"]], "hit": True, "label": d["kind"]})
                at = d["end"]
            parts.append({"text": text[at:], "hit": False})
            result.append({"field": self[name], "parts": parts})  # type: ignore[index]
        return result
