"""Each template renders a correct, readable PDF (visual check), and the PDF fetches
nothing external (FILE-4). PNGs of page 1 go to test-output/letters/ for a person
to look at."""

import shutil
import subprocess
from pathlib import Path

import pytest

from cma.letters import rendering, services
from cma.letters.rendering import StaticOnlyFetcher

from .conftest import SAMPLE_FIELDS, flat, letter_kwargs, pdf_pages, pdf_text

pytestmark = pytest.mark.django_db

OUTPUT = Path(__file__).resolve().parents[2] / "test-output" / "letters"
EXPECTED_WORDS = {
    "MX0-1": ["time difference", "check the care arrangements"],
    "MX1-1": ["could not reach you", "up-to-date details of your income", "Please reply by"],
    "DEC-1": ["$412.50 a month", "lodging an objection"],
    "UQ140.00": ["Personalised Services case manager"],
    "UQ140.01": ["3 Nov 2026", "send us your latest payslips"],
    "UQ140.02": ["within 10 days", "have been resolved"],
}


def _png(pdf: bytes, name: str) -> Path:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    pdf_path = OUTPUT / f"{name}.pdf"
    pdf_path.write_bytes(pdf)
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "install poppler-utils (see .ci/run)"
    subprocess.run(
        [pdftoppm, "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", pdf_path,
         OUTPUT / name],
        check=True,
    )  # fmt: skip
    return OUTPUT / f"{name}.png"


@pytest.mark.parametrize("code", sorted(SAMPLE_FIELDS))
def test_PS_9_CON_2_CON_4_each_template_renders_a_readable_one_page_pdf(
    code, officer, ps_case_manager, customer, overseas_customer
):
    addressee = overseas_customer if code == "MX0-1" else customer
    actor = ps_case_manager if code.startswith("UQ140") else officer
    draft = services.prepare_letter(**letter_kwargs(code, addressee, actor, reference="CS-TEST"))
    fetcher = StaticOnlyFetcher()
    result = rendering.render_pdf(draft.html(), fetcher)
    text = flat(pdf_text(result.pdf))

    assert result.page_count == pdf_pages(result.pdf) == 1
    assert draft.template.title in text
    assert f"Dear {addressee.full_name}," in text
    assert "Our reference CS-TEST" in text and addressee.crn in text
    assert draft.data["date"] in text
    assert "Page 1 of 1" in text
    for line in draft.data["address_lines"]:
        assert line in text
    for words in EXPECTED_WORDS[code]:
        assert words in text
    if code.startswith("UQ140"):
        assert ps_case_manager.display_name in text
        assert "Your Personalised Services case manager" in text
    else:
        assert officer.display_name not in text
        assert "Yours sincerely, Child Support" in text
    assert sorted(fetcher.served) == ["letters/letter.css", "letters/logo.svg"]
    assert _png(result.pdf, code).stat().st_size > 10_000


def test_long_letters_flow_onto_numbered_pages(ps_case_manager, customer):
    actions = "\n".join(f"{n}. Step number {n} of the plan." for n in range(1, 60))
    fields = {"call_date": "2026-11-03", "agreed_actions": actions}
    draft = services.prepare_letter(
        **letter_kwargs("UQ140.01", customer, ps_case_manager, fields=fields)
    )
    result = rendering.render_pdf(draft.html())
    text = flat(pdf_text(result.pdf))
    assert result.page_count == 2
    assert "Page 1 of 2" in text and "Page 2 of 2" in text
    assert "Step number 59 of the plan" in text


def test_FILE_4_customer_values_are_escaped_and_nothing_external_is_fetched(officer, customer):
    customer.given_names = '<img src="file:///etc/passwd">'
    customer.address_line = '<link rel="stylesheet" href="http://169.254.169.254/x.css">'
    customer.save(update_fields=["given_names", "address_line"])
    fields = {
        "decision_summary": '<img src="http://169.254.169.254/latest/meta-data/">',
        "review_options": "<style>@import url(https://evil.example/x.css);</style> & more",
    }
    draft = services.prepare_letter(**letter_kwargs("DEC-1", customer, officer, fields=fields))
    fetcher = StaticOnlyFetcher()
    result = rendering.render_pdf(draft.html(preview=True), fetcher)
    text = flat(pdf_text(result.pdf))
    assert '<img src="file:///etc/passwd">' in text
    assert '<img src="http://169.254.169.254/latest/meta-data/">' in text
    assert "@import url(https://evil.example/x.css);" in text
    assert "PREVIEW · NOT ISSUED" in text.upper()
    assert fetcher.requested == [
        "https://letters.cma.invalid/static/letters/letter.css",
        "https://letters.cma.invalid/static/letters/logo.svg",
    ]


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        "https://evil.example/static/letters/letter.css",
        "https://letters.cma.invalid/static/../../settings/base.py",
        "https://letters.cma.invalid/static/letters/%2e%2e/%2e%2e/cma/settings/base.py",
        "https://letters.cma.invalid/static/letters/letter.css?x=1",
        "https://letters.cma.invalid/static/web/site.js",
        "https://letters.cma.invalid/other/letters/letter.css",
        "data:text/css,body{}",
    ],
)
def test_FILE_4_fetcher_refuses_everything_but_our_static_files(url):
    fetcher = StaticOnlyFetcher()
    with pytest.raises(ValueError):
        fetcher.fetch(url)
    assert fetcher.requested == [url] and fetcher.served == []


def test_FILE_4_fetcher_serves_our_own_stylesheet():
    fetcher = StaticOnlyFetcher()
    response = fetcher.fetch("https://letters.cma.invalid/static/letters/letter.css")
    assert b"@page" in response.read()
    assert response.content_type == "text/css"
