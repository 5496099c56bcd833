#!/usr/bin/env bash
# Installs LibreOffice Calc headless and poppler-utils from Debian packages when `soffice` or
# `pdftotext` is missing. The tests use LibreOffice as a second engine to check our recalculation
# and to print the template to PDF; pdftotext reads those pages back.
set -euo pipefail
PACKAGES=()
command -v soffice >/dev/null 2>&1 || PACKAGES+=(libreoffice-calc-nogui)
command -v pdftotext >/dev/null 2>&1 || PACKAGES+=(poppler-utils)
if [ "${#PACKAGES[@]}" -eq 0 ]; then exit 0; fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-libreoffice: not root and no sudo; install ${PACKAGES[*]} yourself" >&2
    exit 1
  fi
fi
echo "Installing ${PACKAGES[*]} (Debian packages)..." >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
  "${PACKAGES[@]}" >/dev/null
command -v soffice >/dev/null && command -v pdftotext >/dev/null
