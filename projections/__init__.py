"""Read models of the register: tables in the same store as the events, filled by
event handlers from a tracking position (`engine`), queried in the JSON shapes of
DESIGN.md (`queries`), and a database-free fold of the same views (`fold`)."""
