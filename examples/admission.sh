#!/usr/bin/env bash
# An admission to NEAR from the letter of application to the roster, as the Secretariat
# records it with `near-gov`, and checks the result as it goes. It is modelled on the 4th
# General Assembly (Khabarovsk Territory, September 2002), which approved the accession of
# DPRK regional governments; the brochure does not say which ones or when each applied, so
# Rasun City and the dates of its letter are an illustration, not NEAR's record.
#
# Run it against a fresh store: by default a new SQLite file in a temporary directory;
# set NEAR_GOV_STORE to use another (a file path, sqlite:///PATH, or
# postgresql://USER@HOST/DB?schema=NAME). CI runs it on SQLite and on PostgreSQL.
set -euo pipefail

STORE="${NEAR_GOV_STORE:-$(mktemp -d)/register.db}"

# Every command names the store and who records the change (kept on every event).
ng() { near-gov --store "$STORE" --actor "${NEAR_GOV_ACTOR:-secretariat}" "$@"; }

echo "== Store: $(ng store)"

# 1. The host of the 4th General Assembly is a member; its membership is taken from the
#    NEAR brochure, so it is recorded with that document as its source.
ng region register "Khabarovsk Territory" --country RU
ng region record "Khabarovsk Territory" --status member --since 1996-09 \
  --source "NEAR brochure, Members: Russia (15)"

# 2. The letter of application arrives. `submit` registers Rasun City (it is new to the
#    register) and prints the application's reference, e.g. APP-2002-001.
REF=$(ng application submit "Rasun City" --country KP --for member --on 2002-03-05)
echo "== Application $REF"

# 3. The Secretariat screens it: DPRK is within NEAR's membership scope. `show` lists
#    the next allowed steps and who takes them.
ng application screen "$REF" --eligible
ng application show "$REF"

# 4. The 4th General Assembly opens; the application goes on its agenda. `tasks` shows
#    what awaits action: here, the Assembly's decision on the application.
ng assembly convene GA 4 --host "Khabarovsk Territory" --on 2002-09-10
ng assembly attend GA-4 "Khabarovsk Territory"
ng application schedule "$REF" --assembly GA-4
ng tasks

# 5. The Assembly approves the admission. The decision (printed: GA-4/D1) and its effect,
#    Rasun City becoming a member, are recorded together.
DECISION=$(ng assembly decide GA-4 --approve "$REF")
echo "== Decision $DECISION"
ng assembly close GA-4 --on 2002-09-13
ng assembly show GA-4

# 6. The roster now lists Rasun City as a member since the Assembly's date, caused by
#    its decision; on 2002-01-01 it was not yet a member. Scripts read CSV or JSON.
ng roster --country KP
ng roster --country KP --format csv | grep -q "^Rasun City,KP,member,2002-09-10,$DECISION,"
ng roster --as-of 2002-01-01 --country KP --format csv | { ! grep -q "^Rasun City,"; }

# 7. The audit trail: every status change of Rasun City with its cause and source.
ng audit membership "Rasun City"

echo "== Rasun City is a member since 2002-09-10 by decision $DECISION."
