#!/usr/bin/env bash
# Makes docs/annotated-*.png, the README's pictures of the annotated workbook: the
# onkey-sites-mistakes sample run against the built-in sandbox, its annotated/sites.xlsx printed by
# LibreOffice (one page per sheet) and the pages turned into PNG by pdftoppm.
# Needs Debian's libreoffice-calc-nogui and poppler-utils. Run from the repository: docs/screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go run ./cmd/bulkload run --sandbox --no-progress --out "$tmp/run" samples/onkey-sites-mistakes/job.yaml >/dev/null || [ $? -eq 1 ]
soffice -env:UserInstallation="file://$tmp/profile" --headless \
  --convert-to 'pdf:calc_pdf_Export:{"SinglePageSheets":{"type":"boolean","value":"true"}}' \
  --outdir "$tmp" "$tmp/run/annotated/sites.xlsx" >/dev/null
# Pages: 1 the bulkload sheet, 2 Read me, 3 SiteTypes, 4 Sites.
pdftoppm -r 100 -png -f 1 -l 1 -singlefile "$tmp/sites.pdf" docs/annotated-bulkload
pdftoppm -r 100 -png -f 4 -l 4 -singlefile "$tmp/sites.pdf" docs/annotated-sites
ls -l docs/annotated-*.png
