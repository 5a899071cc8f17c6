"""Call receipt numbers (CON-16): short, unambiguous when read over the phone
("4KQ7-M2XD": no 0/O, 1/I/L or U), unique, and found again however they are typed."""

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 8


def new_receipt() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def normalise(text: str) -> str | None:
    """ "4kq7 m2xd" -> "4KQ7-M2XD"; None when it cannot be a receipt number."""
    squashed = re.sub(r"[\s\-]", "", str(text)).upper()
    if len(squashed) != LENGTH or any(c not in ALPHABET for c in squashed):
        return None
    return f"{squashed[:4]}-{squashed[4:]}"
