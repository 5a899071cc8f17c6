"""Collection (seed 000, seed 002): Minimum Collection Activity in every interaction
(CMA-1), payees as collection sources (CMA-2), presenting issues resolved at the point
of entry, routed by the referral guidelines or referred to an external service
(CMA-3, CMA-4, CMA-8), and the figures the dashboards report."""
