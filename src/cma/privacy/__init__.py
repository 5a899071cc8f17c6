"""The personal-information guard (DOC-3) and Separating Safely's withholding (DOC-6).

Below `work`, `notes` and `letters` (which all store or send free text), above
`customers` (whose models hold the details it protects):

    web -> work / notes / letters -> privacy -> customers / staff -> policy / calendar / audit

- `guard`: finds phone numbers, email and street addresses and the parties' own details
  in free text (`scan`); the refusal carries spans, kinds and hints, never the text.
- `separating`: who is at risk, the protected elements of an at-risk customer, finding
  and masking them in text about the other party (`withheld_for`, `redact`).
- `checks.check_free_text`: both, for every write of free text on a customer's record.

Which customers are at risk is recorded by `notes` (its `SafetyMarker`), which this
package must not import: `notes` registers the source in its `AppConfig.ready`
(`separating.register_at_risk_source`).
"""
