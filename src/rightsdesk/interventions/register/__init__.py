"""The register of responses: peacekeeping operations, ICC situations and cases (accused and
charges), ICJ cases, commissions of inquiry, fact-finding missions and referrals, each with its
states, dates, status, sources and "data up to"; editors add what happened since. Other rooms
read it through ``register.public`` (the escalation view is in ``interventions.escalation``)."""
