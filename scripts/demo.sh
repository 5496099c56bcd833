#!/usr/bin/env bash
# The main job on the bundled examples: installs roi-xl, recalculates every example client workbook
# into out/examples, writes a summary table, and checks each plan against the plan's own rules.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/setup.sh"
cd "$ROOT"
roi-xl recalc workbook_templates/examples --out out/examples --summary out/summary.csv
roi-xl check out/examples/*.xlsx
echo "Recalculated workbooks: out/examples/   Summary table: out/summary.csv"
