"""The domain: aggregates (regions, applications, assemblies, committees, cases, the
Charter, the Secretariat, seals), their rules, and the events they record.

One vocabulary for event fields, which generic code (history, replay, audit) reads:

- `on`: the date the fact takes effect (a `FuzzyDate`);
- `cause`: the reference of what caused it: a decision (`GA-4/D1`) or a case (`WDR-...`);
- `source`: the document that records it, where no decision caused it;
- `actor`: who recorded it (the clerk, not the region).

Events keep their stored form. Four were stored under older names and expose the
vocabulary's name as a read-only property: `RegionalGovernment.Admitted.since` and
`StatusRecorded.since` (read as `on`), `Application.Approved.decision` and
`Rejected.decision` (read as `cause`). Renaming their stored fields would need an
upcaster on every read of every old event (and a slower rebuild) for no change of meaning.
"""
