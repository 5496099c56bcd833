#!/usr/bin/env bash
# The conformance gate: recalculates the Excel-saved workbooks of ../shared/conformance (beside the
# repository, when present) and fails when the score, or the share of formula cells the translated plan
# computes (the rest fall back to formulas' model), drops below bench/conformance_score.json.
# Extra arguments go to bench/conformance.py (e.g. --record after an improvement).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SUITE="$ROOT/../shared/conformance/ironcalc"
if [ ! -d "$SUITE" ]; then
    echo "conformance: $SUITE not found, skipped"
    exit 0
fi
cd "$ROOT"
exec python bench/conformance.py "$SUITE" --jobs 2 --timeout 30 --show 0 --quiet \
    --report "${CONFORMANCE_REPORT:-${TMPDIR:-/tmp}/roi-xl-conformance.json}" --check-recorded "$@"
