// Package benchdata generates the order-lines job the benchmarks run: a data file of any size
// (CSV or XLSX) modelled on samples/orders-csv, its row JSON Schema, a product lookup table and a
// job.yaml for the Onix Work target. The output is deterministic and written as a stream, so a
// million rows cost no more memory than a hundred.
package benchdata

import (
	"archive/zip"
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// File names inside the directory WriteOrderLines writes.
const (
	SpecFile   = "job.yaml"
	SchemaFile = "schemas/order-line-row.schema.json"
	LookupFile = "produkttyper.csv"
	DataBase   = "ordrelinjer" // + ".csv" or ".xlsx"
	Sheet      = "Ordrelinjer" // the XLSX sheet
)

// Columns are the data file's header names, in order.
var Columns = []string{"Ordrenr", "Ordredato", "Kundenr", "Kontakt_epost", "Linjenr", "Produkt",
	"Beskrivelse", "Antall", "Enhetspris", "Leveringsdato"}

// LinesPerOrder is the number of consecutive rows that share an order number.
const LinesPerOrder = 5

// InvalidEvery is the spacing of the deliberately invalid rows: row i (0-based, after the
// header) is invalid when i%InvalidEvery == InvalidEvery/2. The kind of fault rotates through
// an unparsable date, an unparsable number, a zero quantity (a schema violation), a malformed
// e-mail (which also makes the order's rows disagree), a product missing from the lookup table
// and an empty product (a required property).
const InvalidEvery = 1000

// Invalid returns how many rows of a file of the given size WriteOrderLines makes invalid.
func Invalid(rows int) int {
	if rows <= InvalidEvery/2 {
		return 0
	}
	return (rows-InvalidEvery/2-1)/InvalidEvery + 1
}

// seed makes every file of the same size and format identical.
const seed = 20261124

// WriteOrderLines writes into dir (created if needed) a generated order-lines file of rows data
// rows (format "csv": UTF-8, ';', decimal commas, space thousands separators, dd.mm.yyyy dates;
// format "xlsx": one sheet, numbers as numbers and dates as date-styled serial numbers), the row
// JSON Schema, the product lookup CSV and a job.yaml that builds one Onix Work order per order
// number (a distinct entity) and one order_line child per row. It returns the job.yaml's path.
// Existing files of the same names are overwritten.
func WriteOrderLines(dir string, rows int, format string) (specPath string, err error) {
	if rows < 1 {
		return "", fmt.Errorf("benchdata: rows must be at least 1, not %d", rows)
	}
	if format != "csv" && format != "xlsx" {
		return "", fmt.Errorf("benchdata: unknown format %q (want csv or xlsx)", format)
	}
	if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(SchemaFile)), 0o755); err != nil {
		return "", fmt.Errorf("benchdata: %w", err)
	}
	files := map[string]string{
		SpecFile:   jobYAML(rows, format),
		SchemaFile: rowSchema,
		LookupFile: lookupCSV(),
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			return "", fmt.Errorf("benchdata: %w", err)
		}
	}
	data := filepath.Join(dir, DataBase+"."+format)
	if format == "csv" {
		err = writeCSV(data, rows)
	} else {
		err = writeXLSX(data, rows)
	}
	if err != nil {
		return "", fmt.Errorf("benchdata: %s: %w", data, err)
	}
	return filepath.Join(dir, SpecFile), nil
}

// closeInto closes c and keeps its error in *err when there is none yet.
func closeInto(c interface{ Close() error }, err *error) {
	*err = errors.Join(*err, c.Close())
}

// cellKind says how a generated cell is written.
type cellKind int

const (
	text    cellKind = iota // s
	integer                 // n
	decimal                 // f with two decimals in CSV
	date                    // t
)

// cell is one generated value, written natively by each format.
type cell struct {
	kind cellKind
	s    string
	n    int
	f    float64
	t    time.Time
}

// product is one entry of the catalogue; its type goes into the lookup table.
type product struct {
	name, typ, desc string
	minPrice        float64 // unit price range in NOK
	maxPrice        float64
	litres          bool // quantities with a decimal part
}

var catalogue = []product{
	{"Hjullaster", "Unique", "Hjullaster for grøntarbeid", 450000, 1900000, false},
	{"Skuffe", "Unique", "Skuffe 1,5 m³ – ekstra", 12000, 95000, false},
	{"Smøreolje", "Consumable", "Smøreolje, fat à 200 l", 900, 4500, true},
	{"Påhengsmotor", "Unique", "Påhengsmotor 15 hk, kort rigg", 28000, 140000, false},
	{"Gressklipper", "Unique", "Gressklipper for skråninger og grøfter", 9000, 65000, false},
	{"Kjedesag", "Unique", "Kjedesag med 45 cm sverd", 4500, 16000, false},
	{"Hydraulikkolje", "Consumable", "Hydraulikkolje ISO 46, kanne à 20 l", 600, 2400, true},
	{"Frostvæske", "Consumable", "Frostvæske, blå, ferdigblandet", 80, 450, true},
	{"Strøsand", "Consumable", "Strøsand 0–4 mm, storsekk", 350, 1200, false},
	{"Lyskaster", "Unique", "Lyskaster LED 20 000 lm, stativ", 2500, 18000, false},
	{"Hjelm", "Consumable", "Vernehjelm med hørselvern og visir", 700, 2100, false},
	{"Sløyfe", "Consumable", "Sløyfekabel for robotklipper, 250 m", 450, 1800, false},
}

var (
	suffixes   = []string{"levering Ålesund", "hentes på lager i Tromsø", "før påske", "etter avtale med Bjørn", "til Ørsta kommune", "merket «Æøå-prosjektet»"}
	firstNames = []string{"Kari", "Ola", "Ingrid", "Bjorn", "Solveig", "Haakon", "Aase", "Oystein", "Marit", "Per"}
	lastNames  = []string{"Nordmann", "Hansen", "Johansen", "Olsen", "Lovaas", "Aasen", "Dahl", "Berg", "Haugen", "Solberg"}
)

// customers is the number of distinct customers the orders are spread over.
const customers = 4000

// order holds the fields every line of one order shares.
type order struct {
	number   int
	date     time.Time
	customer string
	email    string
}

// generator produces the rows of the file, one at a time.
type generator struct {
	rng   *rand.Rand
	order order
	row   []cell
}

func newGenerator() *generator {
	return &generator{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), row: make([]cell, len(Columns))}
}

var epoch = time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)

// next returns the cells of row i (0-based). The slice is reused by the following call.
func (g *generator) next(i int) []cell {
	line := i%LinesPerOrder + 1
	if line == 1 {
		c := g.rng.IntN(customers) + 1
		email := fmt.Sprintf("%s.%s.%d@eksempel.no", firstNames[c%len(firstNames)], lastNames[(c/len(firstNames))%len(lastNames)], c)
		if c%3 != 0 { // exports are untidy: the mapping lower-cases and trims
			email = strings.ToLower(email)
		} else {
			email = " " + email + " "
		}
		g.order = order{
			number:   10000001 + i/LinesPerOrder,
			date:     epoch.AddDate(0, 0, g.rng.IntN(700)),
			customer: fmt.Sprintf("K-%05d", c),
			email:    email,
		}
	}
	p := catalogue[g.rng.IntN(len(catalogue))]
	qty := cell{kind: integer, n: 1 + g.rng.IntN(20)}
	if p.litres && g.rng.IntN(2) == 0 {
		qty = cell{kind: decimal, f: float64(1+g.rng.IntN(400)) / 4}
	}
	price := p.minPrice + g.rng.Float64()*(p.maxPrice-p.minPrice)
	r := g.row
	r[0] = cell{kind: text, s: strconv.Itoa(g.order.number)}
	r[1] = cell{kind: date, t: g.order.date}
	r[2] = cell{kind: text, s: g.order.customer}
	r[3] = cell{kind: text, s: g.order.email}
	r[4] = cell{kind: integer, n: line}
	r[5] = cell{kind: text, s: p.name}
	r[6] = cell{kind: text, s: p.desc + " – " + suffixes[g.rng.IntN(len(suffixes))]}
	r[7] = qty
	r[8] = cell{kind: decimal, f: float64(int64(price*100)) / 100}
	r[9] = cell{kind: date, t: g.order.date.AddDate(0, 0, 7+g.rng.IntN(60))}
	if i%InvalidEvery == InvalidEvery/2 {
		spoil(r, i/InvalidEvery)
	}
	return r
}

// spoil makes a row invalid in the k-th of the ways InvalidEvery lists.
func spoil(r []cell, k int) {
	switch k % 6 {
	case 0:
		r[9] = cell{kind: text, s: "31.02.2026"}
	case 1:
		r[7] = cell{kind: text, s: "to stk"}
	case 2:
		r[7] = cell{kind: integer, n: 0}
	case 3:
		r[3] = cell{kind: text, s: "kari.nordmann(at)eksempel.no"}
	case 4:
		r[5] = cell{kind: text, s: "Ukjent vare"}
	case 5:
		r[5] = cell{kind: text, s: ""}
	}
}

// formatNumber writes f the way a Norwegian export does: "1 234 500,00".
func formatNumber(f float64, decimals int) string {
	s := strconv.FormatFloat(f, 'f', decimals, 64)
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, d := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(d)
	}
	if frac != "" {
		b.WriteByte(',')
		b.WriteString(frac)
	}
	return b.String()
}

// text renders a cell as the CSV export writes it.
func (c cell) text() string {
	switch c.kind {
	case integer:
		return strconv.Itoa(c.n)
	case decimal:
		return formatNumber(c.f, 2)
	case date:
		return c.t.Format("02.01.2006")
	}
	return c.s
}

func lookupCSV() string {
	var b strings.Builder
	b.WriteString("produkt,type\n")
	for _, p := range catalogue {
		b.WriteString(p.name + "," + p.typ + "\n")
	}
	return b.String()
}

// rowSchema is the schema of samples/orders-csv with eight-digit order numbers (a million rows
// need more than five).
const rowSchema = `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "title": "One generated order line",
  "type": "object",
  "required": ["Ordrenr", "Ordredato", "Kundenr", "Linjenr", "Produkt", "Antall"],
  "additionalProperties": false,
  "properties": {
    "Ordrenr": {"type": "string", "pattern": "^[0-9]{8}$"},
    "Ordredato": {"type": "string", "format": "date"},
    "Kundenr": {"type": "string", "minLength": 1, "maxLength": 50},
    "Kontakt_epost": {"type": "string", "format": "email", "maxLength": 50},
    "Linjenr": {"type": "integer", "minimum": 1},
    "Produkt": {"type": "string", "minLength": 1},
    "Beskrivelse": {"type": "string", "maxLength": 200},
    "Antall": {"type": "number", "exclusiveMinimum": 0},
    "Enhetspris": {"type": "number", "minimum": 0},
    "Leveringsdato": {"type": "string", "format": "date"}
  }
}
`

// jobYAML is samples/orders-csv/job.yaml pointed at the generated files.
func jobYAML(rows int, format string) string {
	source := "    file: " + DataBase + ".csv\n    delimiter: \";\"\n"
	if format == "xlsx" {
		source = "    file: " + DataBase + ".xlsx\n    sheet: " + Sheet + "\n"
	}
	return fmt.Sprintf(`# Generated by internal/benchdata: %d order lines (%d per order) as %s, for benchmarks.
version: 1
name: orders-bench

target:
  kind: onixwork
  url: http://127.0.0.1:8680
  auth:
    kind: password
    username_env: ONIX_USERNAME
    password_env: ONIX_PASSWORD

sources:
  - name: order_lines
%s    schema: %s
    typing:
      decimal: ","
      thousands: " "
      date_layouts: ["02.01.2006"]

lookups:
  - name: product_types
    file: %s
    key: produkt
    value: type

entities:
  - name: order
    source: order_lines
    endpoint: /v1/orders
    userObjectId: '"ORD-" + row.Ordrenr'
    distinct: true
    properties:
      orderImportId: row.Ordrenr
      source: '"bulkload"'
      erpOrderDate: row.Ordredato
      customerExternalId: row.Kundenr
      erpCustomerContactEmail: lower(trim(row.Kontakt_epost))
      languageCode: 0

  - name: order_line
    source: order_lines
    endpoint: /v1/order-lines
    userObjectId: '"ORD-" + row.Ordrenr + "/" + string(row.Linjenr)'
    parent:
      entity: order
      userObjectId: '"ORD-" + row.Ordrenr'
    properties:
      orderImportId: row.Ordrenr
      orderLineImportId: row.Ordrenr + "-" + pad(string(row.Linjenr), 3, "0")
      type: lookup("product_types", row.Produkt)
      productName: row.Produkt
      description: row.Beskrivelse
      quantity: row.Antall
      unitPrice: row.Enhetspris
      deliveryDate: row.Leveringsdato
`, rows, LinesPerOrder, format, source, SchemaFile, LookupFile)
}

// writeCSV writes the data file as a UTF-8, semicolon-separated export, one row at a time.
func writeCSV(path string, rows int) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer closeInto(f, &err)
	bw := bufio.NewWriterSize(f, 1<<16)
	w := csv.NewWriter(bw)
	w.Comma = ';'
	if err := w.Write(Columns); err != nil {
		return err
	}
	g := newGenerator()
	record := make([]string, len(Columns))
	for i := range rows {
		for j, c := range g.next(i) {
			record[j] = c.text()
		}
		if err := w.Write(record); err != nil {
			return err
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// writeXLSX writes the data file as a one-sheet workbook through excelize's StreamWriter, which
// spills the sheet to a temporary file as it grows: numbers are numeric cells, dates are serial
// numbers with a dd.mm.yyyy style, text is inline strings.
func writeXLSX(path string, rows int) (err error) {
	f := excelize.NewFile()
	defer closeInto(f, &err)
	if err := f.SetSheetName("Sheet1", Sheet); err != nil {
		return err
	}
	layout := "dd.mm.yyyy"
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &layout})
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(Sheet)
	if err != nil {
		return err
	}
	values := make([]any, len(Columns))
	for j, c := range Columns {
		values[j] = c
	}
	if err := sw.SetRow("A1", values); err != nil {
		return err
	}
	g := newGenerator()
	for i := range rows {
		for j, c := range g.next(i) {
			switch c.kind {
			case integer:
				values[j] = c.n
			case decimal:
				values[j] = c.f
			case date:
				values[j] = excelize.Cell{StyleID: dateStyle, Value: c.t}
			default:
				values[j] = c.s
			}
		}
		ref, err := excelize.CoordinatesToCellName(1, i+2)
		if err != nil {
			return err
		}
		if err := sw.SetRow(ref, values); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	// SaveAs would build the whole zipped workbook in a bytes.Buffer first (File.WriteToBuffer):
	// memory growing with rows. A zip writer on the file itself streams the parts instead; Write
	// then has nothing left to copy.
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	defer closeInto(out, &err)
	bw := bufio.NewWriterSize(out, 1<<16)
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(bw) })
	if err := f.Write(io.Discard); err != nil {
		return err
	}
	return bw.Flush()
}
