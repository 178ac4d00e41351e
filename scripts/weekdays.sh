#!/usr/bin/env bash
# The specs that arrange their fixtures relative to today, once for each day of a week:
# libfaketime sets the clock of the whole test run (Node, the server in it and the test
# PostgreSQL it starts), so "today" is each weekday in turn, at a different hour each
# time, in a week with a DST change (Europe/* on Sunday 28 March 2027, 01:00 UTC).
# A spec that passes only on some days fails here whatever today is.
set -euo pipefail
cd "$(dirname "$0")/.."
# libfaketime itself, preloaded: the `faketime` wrapper keeps "start at" clocks in step through a
# shared-memory semaphore that the test PostgreSQL, which runs as another user when CI is root,
# cannot open. An offset from the real clock needs no sharing: every process adds the same.
LIBFAKETIME=$(find /usr/lib /usr/local/lib -name libfaketime.so.1 -path '*faketime*' 2>/dev/null | head -1)
[ -n "$LIBFAKETIME" ] || { echo "weekdays: needs libfaketime (apt-get install -y faketime)" >&2; exit 1; }

SPECS=(
  test/e2e/atomic-writes.test.ts test/e2e/authorization.test.ts test/e2e/availability.test.ts
  test/e2e/bad-input-corpus.test.ts test/e2e/billing.test.ts test/e2e/booking-conflicts.test.ts
  test/e2e/calendar-feeds.test.ts test/e2e/database-timezone.test.ts test/e2e/generation.test.ts
  test/e2e/generation-dst.test.ts test/e2e/input-rules.test.ts test/e2e/notifications.test.ts
  test/e2e/ownership.test.ts test/e2e/recurring-bookings.test.ts test/e2e/series.test.ts
  test/e2e/session-queries.test.ts test/e2e/webhooks.test.ts
)
# Each run's instant (UTC) and the process timezone it runs in (the test PostgreSQL's too:
# its initdb default follows the process), so these specs also run outside UTC.
RUNS=(
  "2027-03-22 00:20:00|UTC"              "2027-03-23 05:45:00|Australia/Sydney"
  "2027-03-24 09:30:00|America/New_York" "2027-03-25 12:10:00|Asia/Kathmandu"
  "2027-03-26 17:55:00|Australia/Sydney" "2027-03-27 21:40:00|America/New_York"
  "2027-03-28 23:50:00|Europe/Berlin"
)
for run in "${RUNS[@]}"; do
  now=${run%|*} zone=${run#*|}
  echo "weekdays: the clock starts at $now UTC, a $(TZ=UTC date -d "$now" +%A), in $zone"
  offset=$(( $(date -u -d "$now UTC" +%s) - $(date -u +%s) ))
  # Timers keep the real monotonic clock.
  # No --selectProjects: it takes every word after it as a project name, paths included,
  # and then runs the whole db project (the specs are db tests anyway).
  TZ=$zone LD_PRELOAD=$LIBFAKETIME FAKETIME="$(printf '%+d' "$offset")" FAKETIME_DONT_FAKE_MONOTONIC=1 \
    npx jest "$@" "${SPECS[@]}"
done
