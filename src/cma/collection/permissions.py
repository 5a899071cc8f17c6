"""Named rules for collection, shared by the API and the pages."""

import rules

from cma.staff.permissions import is_leader

# CMA-1, REP-1: Team Leaders (their team) and the National Manager (everyone).
rules.add_perm("collection.view_figures", is_leader)
