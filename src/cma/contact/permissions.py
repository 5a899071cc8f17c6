"""Named rules for contact, shared by the API, the pages and the CLI."""

import rules

from cma.staff.permissions import is_leader, sees_customers


@rules.predicate
def is_interaction_officer(user, interaction) -> bool:
    return interaction is not None and interaction.officer_id == user.pk


rules.add_perm("contact.open_interaction", sees_customers)
rules.add_perm("contact.act_on_interaction", sees_customers & is_interaction_officer)
rules.add_perm("contact.plan_contact", sees_customers)
# CON-15: a Team Leader sees and acknowledges the notifications meant for them.
rules.add_perm("contact.view_notifications", is_leader)
