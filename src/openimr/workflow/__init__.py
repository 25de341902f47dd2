"""openimr.workflow: the IMR process rules, framework-free (imr-process.md §1-§7, §11).

- `eligibility`: the eligibility screen (§2.5, §11.4) and the review track (§2.6)
- `deadlines`, `calendar`: deadlines in calendar/business days on the California calendar (§6)
- `names`: party-name normalization; `redaction`: the public letter's redaction (§9.6)
- `specialties`, `matching`, `roster`: reviewer qualifications, conflicts, fit, import (§4)
- `lifecycle`: the case state machine, termination, consolidation, duplicates (§1.3)
Rule tables live in `data/*.yaml`, validated on load (`rules`).
"""
