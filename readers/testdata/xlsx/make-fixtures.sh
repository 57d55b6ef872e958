#!/usr/bin/env bash
# Regenerates the XLSX fixtures of the XLSX reader's tests from their flat-ODF sources (*.fods) with
# LibreOffice, so that the tests read workbooks written by a real office suite. The .xlsx files are
# committed; run this only after changing a .fods file, then check the tests and commit both.
#
#   readers/testdata/xlsx/make-fixtures.sh
#
# Needs soffice (Debian: libreoffice-calc-nogui, installed here when missing and running as root).
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v soffice >/dev/null; then
  echo "make-fixtures: soffice is missing; installing libreoffice-calc-nogui"
  apt-get update -qq && apt-get install -y -qq libreoffice-calc-nogui
fi

# A throw-away profile: soffice otherwise waits on the lock of a profile in use (or left behind).
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT

for src in *.fods; do
  HOME="$profile" soffice -env:UserInstallation="file://$profile" --headless --norestore \
    --convert-to xlsx:"Calc MS Excel 2007 XML" --outdir . "$src"
done

# dates1904.xlsx must say it uses the 1904 date system.
if ! unzip -p dates1904.xlsx xl/workbook.xml | grep -q 'date1904="true"'; then
  echo "make-fixtures: dates1904.xlsx does not declare date1904" >&2
  exit 1
fi
ls -l ./*.xlsx
