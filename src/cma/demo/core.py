"""Teams, one staff user per role, ~200 customers with cases, children and accounts."""

import random
import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from faker import Faker

from cma.customers.models import (
    AccountSummary,
    AlternativeContact,
    AuthorisedRepresentative,
    Case,
    Child,
    ContactDetail,
    Customer,
    RepresentativeAuthority,
    agency_today,
)
from cma.policy.models import BusinessArea
from cma.staff.models import Role, Team
from cma.staff.services import create_staff_user

DEMO_PASSWORD = "workbench-demo-2026"  # noqa: S105 - printed for the demo office only

TEAMS = [
    ("Mainstream Services Parramatta", "NSW", "mainstream"),
    ("Mainstream Services Melbourne", "VIC", "mainstream"),
    ("Intensive Collection Brisbane", "QLD", "intensive-collection"),
    ("Personalised Services Adelaide", "SA", "personalised-services"),
    ("Parent Support Team Hobart", "TAS", "parent-support"),
    ("Central Authority Canberra", "ACT", "central-authority"),
    ("Specialist Residency Perth", "WA", "residency"),
    ("New Customers Darwin", "NT", "new-customers"),
    ("Quality and Customer Complaints Canberra", "ACT", "qcc"),
    ("Specialised Assessments Sydney", "NSW", "specialised-assessments"),
]

# username, role, team, given, family
STAFF = [
    ("officer", Role.SERVICE_OFFICER, "Mainstream Services Parramatta", "Olivia", "Officer"),
    ("officer2", Role.SERVICE_OFFICER, "Mainstream Services Melbourne", "Oscar", "Other-Team"),
    ("teamleader", Role.TEAM_LEADER, "Mainstream Services Parramatta", "Tess", "Leader"),
    ("specialist", Role.SPECIALIST_OFFICER, "Specialised Assessments Sydney", "Sam", "Specialist"),
    ("pscm", Role.PS_CASE_MANAGER, "Personalised Services Adelaide", "Priya", "Case-Manager"),
    ("pstl", Role.PS_TEAM_LEADER, "Personalised Services Adelaide", "Paul", "PS-Leader"),
    (
        "nmqcc",
        Role.NATIONAL_MANAGER_QCC,
        "Quality and Customer Complaints Canberra",
        "Nina",
        "Manager",
    ),
    ("auditor", Role.AUDITOR, None, "Alex", "Auditor"),
    ("admin", Role.ADMINISTRATOR, None, "Ada", "Administrator"),
]

OVERSEAS = [
    ("NZ", "Pacific/Auckland", "+64 21 555 0123"),
    ("GB", "Europe/London", "+44 7911 123456"),
    ("US", "America/Los_Angeles", "+1 213 555 0147"),
    ("CA", "America/Toronto", "+1 416 555 0199"),
]
STATES = ["NSW", "NSW", "VIC", "VIC", "QLD", "QLD", "SA", "WA", "TAS", "ACT", "NT"]
STATE_PREFIX = {
    "NSW": "02",
    "ACT": "02",
    "VIC": "03",
    "TAS": "03",
    "QLD": "07",
    "SA": "08",
    "WA": "08",
    "NT": "08",
}


def load_staff() -> dict[str, object]:
    User = get_user_model()
    teams = {}
    for name, state, area in TEAMS:
        teams[name], _ = Team.objects.get_or_create(
            name=name,
            defaults={"state": state, "business_area": BusinessArea.objects.get(code=area)},
        )
    users: dict[str, object] = {}
    for username, role, team, first, last in STAFF:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = create_staff_user(
                username=username,
                password=DEMO_PASSWORD,
                role=role,
                team=teams.get(team),
                first_name=first,
                last_name=last,
            )
        users[username] = user
    for leader, team in (
        ("teamleader", "Mainstream Services Parramatta"),
        ("pstl", "Personalised Services Adelaide"),
    ):
        Team.objects.filter(name=team, leader=None).update(leader=users[leader])
    return users


def _crn(i: int) -> str:
    return f"{700000000 + i:09d}{'ABCDEFGHJK'[i % 10]}"


def _au_phone(rng: random.Random, state: str, mobile: bool) -> str:
    # Numbers in ACMA's ranges reserved for drama and fiction: never a real service.
    if mobile:
        return f"+61491570{rng.randint(100, 159)}"
    return f"+61{STATE_PREFIX[state][1]}5550{rng.randint(1000, 9999)}"


def _email(given: str, family: str, i: int) -> str:
    """On the domains reserved for examples (RFC 2606): never a real mailbox."""
    local = re.sub(r"[^a-z0-9]+", ".", f"{given} {family}".lower()).strip(".")
    return f"{local}{i}@{('example.com', 'example.net', 'example.org')[i % 3]}"


def _customer(i: int, fake: Faker, rng: random.Random, today: date, **overrides) -> Customer:
    state = STATES[i % len(STATES)]
    fields = {
        "given_names": fake.first_name(),
        "family_name": fake.last_name(),
        "date_of_birth": fake.date_of_birth(minimum_age=20, maximum_age=62),
        "role": "payer" if i % 2 == 0 else "payee",
        "state": state,
        "country": "AU",
        "address_line": fake.street_address(),
        "locality": fake.city(),
        "postcode": fake.postcode(),
        "preferred_contact_method": rng.choice(["phone", "phone", "phone", "sms", "post"]),
        "interpreter_language": rng.choice([""] * 12 + ["Vietnamese", "Arabic", "Mandarin"]),
        "relay_need": rng.choice([""] * 25 + ["nrs", "tty"]),
    }
    fields.update(overrides)
    # Most customers have an email address; every fifth has none recorded.
    fields["email"] = "" if i % 5 == 4 else _email(fields["given_names"], fields["family_name"], i)
    customer, created = Customer.objects.get_or_create(crn=_crn(i), defaults=fields)
    if not created and fields["email"] and not customer.email:
        # Loaded before customers had email addresses.
        customer.email = str(fields["email"])
        customer.save(update_fields=["email"])
    if created and customer.country == "AU":
        ContactDetail.objects.create(
            customer=customer, kind="mobile", number=_au_phone(rng, state, True), is_preferred=True
        )
        if rng.random() < 0.4:
            ContactDetail.objects.create(
                customer=customer, kind="home", number=_au_phone(rng, state, False)
            )
    return customer


def load_customers(count: int = 200) -> int:
    fake = Faker("en_AU")
    fake.seed_instance(2026)
    rng = random.Random(2026)
    # Dates are relative to the day the demo is loaded, so the under-18 customer stays
    # under 18 and current alternative contacts stay current.
    today = agency_today()
    customers = []
    for i in range(count):
        overrides: dict[str, Any] = {}
        if i % 40 == 7:  # overseas customers
            country, tz, phone = OVERSEAS[(i // 40) % len(OVERSEAS)]
            overrides = {"country": country, "state": "", "time_zone": tz, "postcode": ""}
        elif i == 13:  # Norfolk Island: special contact and remote indicator (CON-13)
            overrides = {
                "country": "NF",
                "state": "",
                "time_zone": "Pacific/Norfolk",
                "locality": "Burnt Pine",
                "postcode": "2899",
                "is_remote": True,
                "special_contact_considerations": "Norfolk Island: call in local business hours.",
            }
        elif i == 21:  # a payee under 18 (routes to the Parent Support Team)
            overrides = {"date_of_birth": today - timedelta(days=17 * 365 + 40)}
        customer = _customer(i, fake, rng, today, **overrides)
        if i == 21 and not customer.is_under_18:
            # Loaded long ago: keep one customer under 18 for the Parent Support Team.
            customer.date_of_birth = overrides["date_of_birth"]
            customer.save(update_fields=["date_of_birth"])
        if overrides.get("country") and not customer.phones.exists():
            number = phone if overrides["country"] != "NF" else "+6723 22 222"
            ContactDetail.objects.create(
                customer=customer,
                kind="international",
                number=number.replace(" ", ""),
                is_preferred=True,
            )
        customers.append(customer)
    for n in range(0, count - 1, 2):
        payer, payee = customers[n], customers[n + 1]
        case, created = Case.objects.get_or_create(
            case_number=f"C{5000000 + n // 2:07d}",
            defaults={
                "payer": payer,
                "payee": payee,
                "started_on": today - timedelta(days=rng.randint(60, 3000)),
            },
        )
        if not created:
            continue
        for _ in range(rng.choice([1, 1, 2, 2, 3])):
            Child.objects.create(
                case=case,
                given_names=fake.first_name(),
                family_name=payee.family_name,
                date_of_birth=fake.date_of_birth(minimum_age=1, maximum_age=17),
            )
        arrears = Decimal(rng.choice([0, 0, 0, rng.randint(50, 30000)]))
        flags = rng.sample(
            ["late payments", "non-lodgement", "defaulted arrangement", "enforcement action"],
            k=rng.choice([0, 0, 1, 2]),
        )
        AccountSummary.objects.create(
            case=case,
            ongoing_liability=Decimal(rng.randint(30, 2500)),
            arrears=arrears,
            last_payment_date=today - timedelta(days=rng.randint(3, 200)),
            payment_arrangement=rng.choice(["none", "none", "active", "defaulted"])
            if arrears
            else "none",
            compliance_flags=flags,
            dpo_recorded=arrears > 20000 and rng.random() < 0.5,
        )
    _representatives(customers, fake)
    _alternative_contacts(customers, fake, rng, today)
    return len(customers)


def _representatives(customers: list[Customer], fake: Faker) -> None:
    rep, created = AuthorisedRepresentative.objects.get_or_create(
        name="Jordan Legal-Aid",
        defaults={"organisation": "Legal Aid Commission", "phone": "+61255501234"},
    )
    if created:
        for c in customers[2:12:2]:  # one representative acting for several customers
            RepresentativeAuthority.objects.create(
                representative=rep, customer=c, starts_on=date(2025, 7, 1)
            )


def _alternative_contacts(
    customers: list[Customer], fake: Faker, rng: random.Random, today: date
) -> None:
    if AlternativeContact.objects.exists():
        return
    for c in customers[3:60:9]:
        AlternativeContact.objects.create(
            customer=c,
            name=fake.name(),
            role=rng.choice(["parent", "sibling", "case worker"]),
            phone=_au_phone(rng, c.state or "ACT", True),
            ends_on=today + timedelta(days=rng.choice([-30, 120, 365])),
        )
