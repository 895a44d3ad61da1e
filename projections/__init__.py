"""Read models of the register: tables in the same store as the events, filled from a
tracking position (`engine`) by the handlers of a list of read models (`registry`),
with a history that describes every event once (`describe`), and queried in the JSON
shapes of DESIGN.md (`queries`)."""
