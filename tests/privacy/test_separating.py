"""DOC-6 Separating Safely: an at-risk customer's protected elements are found in any
case, spacing or Unicode form, as spans of the original text, and nothing else is."""

import pytest

from cma.privacy.normalise import fold
from cma.privacy.separating import WITHHELD, Protected

PROTECTED = Protected.of(
    address_line="88 Quokkaridge Parade",
    locality="Katoomba",
    postcode="2780",
    numbers=["+61491570156", "+61255501234"],
)


def found(text: str, protected: Protected = PROTECTED) -> list[tuple[str, str]]:
    return [(f.kind.removeprefix("protected-"), f.text) for f in protected.find(text)]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("She has moved to Katoomba now.", [("locality", "Katoomba")]),
        ("moved to KATOOMBA", [("locality", "KATOOMBA")]),
        ("near Quokkaridge Parade", [("street", "Quokkaridge Parade")]),
        ("near quokkaridge pde.", [("street", "quokkaridge pde")]),
        ("near Quokkaridge   Parade", [("street", "Quokkaridge   Parade")]),
        ("near Quokkaridge\nParade", [("street", "Quokkaridge\nParade")]),
        ("near Quokkaridge-Parade", [("street", "Quokkaridge-Parade")]),
        ("at 88 Quokkaridge Parade", [("address", "88 Quokkaridge Parade")]),
        ("at 12 Quokkaridge Pde", [("street", "12 Quokkaridge Pde")]),
        ("postcode 2780", [("postcode", "2780")]),
        ("Katoomba NSW 2780", [("locality", "Katoomba"), ("postcode", "2780")]),
        ("call 0491 570 156", [("phone", "0491 570 156")]),
        ("call +61 491 570 156", [("phone", "+61 491 570 156")]),
        ("call +61 (0)491-570-156", [("phone", "+61 (0)491-570-156")]),
        ("call 0491.570.156", [("phone", "0491.570.156")]),
        ("home (02) 5550 1234", [("phone", "(02) 5550 1234")]),
    ],
)
def test_DOC_6_protected_elements_in_any_case_and_spacing(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        # full-width letters and digits
        (
            "moved to \uff2b\uff41\uff54\uff4f\uff4f\uff4d\uff42\uff41",
            "\uff2b\uff41\uff54\uff4f\uff4f\uff4d\uff42\uff41",
        ),
        (
            "call \uff10\uff14\uff19\uff11 \uff15\uff17\uff10 \uff11\uff15\uff16",
            "\uff10\uff14\uff19\uff11 \uff15\uff17\uff10 \uff11\uff15\uff16",
        ),
        # a zero-width space and a soft hyphen inside the word
        ("moved to Kato\u200bom\u00adba", "Kato\u200bom\u00adba"),
        # Cyrillic look-alikes (a, o) and an accent
        ("moved to K\u0430t\u043e\u043emba", "K\u0430t\u043e\u043emba"),
        ("moved to Katoomb\u00e1", "Katoomb\u00e1"),
        ("moved to Katoomba\u0301 now", "Katoomba"),
        # non-breaking and ideographic spaces
        ("near Quokkaridge\u00a0Parade", "Quokkaridge\u00a0Parade"),
        ("near Quokkaridge\u3000Pde", "Quokkaridge\u3000Pde"),
        # Arabic-Indic digits
        (
            "call \u0660\u0664\u0669\u0661\u0665\u0667\u0660\u0661\u0665\u0666",
            "\u0660\u0664\u0669\u0661\u0665\u0667\u0660\u0661\u0665\u0666",
        ),
    ],
)
def test_DOC_6_protected_elements_in_any_unicode_form(text, expected):
    assert [t for _, t in found(text)] == [expected]


def test_DOC_6_no_false_positive_inside_longer_words_or_other_details():
    assert found("Katoombas and Katoombaville, Quokkaridge Paradise, Leura") == []
    assert found("Paid $2780.50 on 12/03/2780 and 12780 cents; 2780 dollars owing.") == []
    assert found("Reference 04915701561 and 1049157015, 88 Wattle Grove") == []


def test_DOC_6_a_locality_that_is_a_common_word_matches_only_as_that_word():
    bay = Protected.of(locality="Bay", address_line="3 Mount Street")
    assert found("She lives in Bay now", bay) == [("locality", "Bay")]
    assert found("Bayside, baying, the Bays, Baywater", bay) == []
    assert found("Mountain views; a mount; Mount Street", bay) == [("street", "Mount Street")]


def test_DOC_6_a_postcode_that_could_be_a_year_counts_only_where_a_postcode_would_be():
    sydney = Protected.of(locality="Bondi Beach", postcode="2026")
    assert found("Review due in 2026; the 2026 financial year", sydney) == []
    assert found("now Bondi Beach 2026", sydney) == [
        ("locality", "Bondi Beach"),
        ("postcode", "2026"),
    ]
    assert found("NSW 2026", sydney) == [("postcode", "2026")]
    assert found("postcode: 2026", sydney) == [("postcode", "2026")]


def test_DOC_6_an_overseas_postcode_is_a_phrase():
    london = Protected.of(locality="London", postcode="SW1A 1AA")
    assert found("moved to sw1a1aa", london) == [("postcode", "sw1a1aa")]


def test_DOC_6_redact_masks_every_span_and_keeps_the_rest():
    text = (
        "Moved to 88 quokkaridge  parade, KATOOMBA 2780 (NSW); mobile 0491 570 156. Paid $2780.50."
    )
    assert PROTECTED.redact(text) == (
        f"Moved to {WITHHELD}, {WITHHELD} {WITHHELD} (NSW); mobile {WITHHELD}. Paid $2780.50."
    )


def test_DOC_6_nothing_protected_finds_nothing():
    assert not Protected() and Protected().find("Katoomba 0491 570 156") == []
    assert Protected().redact("Katoomba") == "Katoomba"


def test_DOC_6_fold_maps_back_to_the_original_characters():
    folded = fold("A\u200b\uff22  c\u0301")
    assert folded.text == "ab c"
    assert [folded.span(i, i + 1) for i in range(len(folded.text))] == [
        (0, 1),
        (2, 3),
        (3, 4),
        (5, 6),
    ]
