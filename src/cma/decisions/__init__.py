"""Decisions: explain before finalising (CMA-6), written advice that starts the
auto-unlock (CMA-7), and an explanation that discloses nothing of the other party
(CON-17). May import contact, letters, work, notes and customers; nothing lower
imports it."""
