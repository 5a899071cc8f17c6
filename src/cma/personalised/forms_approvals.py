"""The approvals page's forms for the PS core's requests (PS-3, PS-6): a segment 3
allocation and a reallocation, decided by the PS Team Leader; a decline needs a reason."""

from typing import Any

from django import forms

from .forms_contact import DecideForm


class SegmentDecideForm(DecideForm):
    """Approve or decline a segment 3 allocation (PS-6)."""


class ReallocationDecideForm(DecideForm):
    """Approve (naming the receiving PS team) or decline a reallocation (PS-3)."""

    receiving_team_id = forms.TypedChoiceField(
        label="Receiving PS team (when approving)", coerce=int, required=False, empty_value=None
    )

    def __init__(
        self, *args: Any, teams: list[tuple[int, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[Any, str]] = [("", "Choose a team"), *(teams or [])]
        self.fields["receiving_team_id"].choices = choices  # type: ignore[attr-defined]
        self.order_fields(["decision", "receiving_team_id", "comment"])
