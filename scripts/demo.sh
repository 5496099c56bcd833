#!/usr/bin/env bash
# The main job on the bundled examples: installs roi-xl, then shows the function catalogue.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/setup.sh"
cd "$ROOT"
roi-xl functions
