#!/usr/bin/env bash
# Regenerates the XLSX fixtures of the XLSX reader's tests with the programs that write real
# workbooks, so that the tests read what those programs write:
#
#   - LibreOffice Calc, from the flat-ODF sources beside them (*.fods);
#   - openpyxl and xlsxwriter, from make_fixtures.py;
#   - excelize, from the Go program in excelize/;
#
# and then records with openpyxl what it reads in every workbook here (conformance.golden.json),
# which TestXLSXConformance compares with what the reader reads. The .xlsx files and the golden
# file are committed (the tests need none of these programs); run this only after changing a
# source, then check the tests and commit them all.
#
#   readers/testdata/xlsx/make-fixtures.sh
#
# Needs soffice, python3-openpyxl and python3-xlsxwriter (Debian: libreoffice-calc-nogui,
# python3-openpyxl, python3-xlsxwriter; installed here when missing and running as root) and go.
set -euo pipefail
cd "$(dirname "$0")"

python=/usr/bin/python3 # Debian's, which the python3-* packages are for
if ! command -v soffice >/dev/null || ! "$python" -c 'import openpyxl, xlsxwriter' 2>/dev/null; then
  echo "make-fixtures: installing libreoffice-calc-nogui, python3-openpyxl and python3-xlsxwriter"
  apt-get update -qq && apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui python3-openpyxl python3-xlsxwriter
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
"$python" make_fixtures.py write
(cd ../../.. && go run ./readers/testdata/xlsx/excelize readers/testdata/xlsx)
"$python" make_fixtures.py golden
ls -l ./*.xlsx conformance.golden.json
