#!/usr/bin/env bash
# Installs LibreOffice Calc headless from Debian packages when `soffice` is missing.
# The tests use it as a second engine to check our recalculation.
set -euo pipefail
if command -v soffice >/dev/null 2>&1; then exit 0; fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-libreoffice: not root and no sudo; install libreoffice-calc-nogui yourself" >&2
    exit 1
  fi
fi
echo "Installing LibreOffice (Debian package libreoffice-calc-nogui)..." >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
  libreoffice-calc-nogui >/dev/null
command -v soffice >/dev/null
