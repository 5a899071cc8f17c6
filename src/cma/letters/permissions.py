"""Named rules for letters, shared by the API, the pages and the CLI.

Letters are customer data: only customer-facing roles write, preview, list or
download them (auditors and administrators do not, SEC-1). Which customer a user
may reach is decided by `cma.customers.selectors.get_customer_for`, the one door.
"""

import rules

from cma.staff.permissions import sees_customers

rules.add_perm("letters.issue_letter", sees_customers)
rules.add_perm("letters.view_letter", sees_customers)
