"""Synthetic demo office: `cma demo load`. No real people; names from Faker's en_AU."""


def extra_steps() -> list:
    """Demo steps contributed by later apps (work, notes, letters ...), in order."""
    from cma.demo.collection import load_collection
    from cma.demo.contact import load_contact
    from cma.demo.decisions import load_decisions
    from cma.demo.letters import load_letters
    from cma.demo.notes import load_notes
    from cma.demo.personalised import load_personalised
    from cma.demo.ps_contact import load_ps_contact
    from cma.demo.ps_final import load_ps_final
    from cma.demo.ps_mandate import load_ps_mandate
    from cma.demo.work import load_work

    return [
        load_work,
        load_notes,
        load_letters,
        load_contact,
        load_decisions,
        load_collection,
        load_personalised,
        load_ps_mandate,
        load_ps_contact,
        load_ps_final,
    ]
