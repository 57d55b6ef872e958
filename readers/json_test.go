package readers

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/spec"
)

// openJSONContent writes content to a file named name in a fresh temporary folder and opens it
// as a spec would name it (Path) and resolve it (File).
func openJSONContent(t *testing.T, name, content string, src spec.Source) (Source, error) {
	t.Helper()
	file := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(file, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	src.Name, src.Path, src.File = "test", name, file
	return OpenJSON(&src)
}

// renderJSONRow renders a row on one line for comparison: its origin, its error, its columns
// with their values as JSON (an object or array as its size only), and its parents' origins.
func renderJSONRow(r Row) string {
	var b strings.Builder
	b.WriteString(r.Origin.String())
	if r.Err != nil {
		b.WriteString(" ERR " + r.Err.Error())
	}
	if len(r.Columns) != len(r.Values) {
		fmt.Fprintf(&b, " (%d columns, %d values)", len(r.Columns), len(r.Values))
	}
	for i, c := range r.Columns {
		var v string
		switch x := r.Values[i].(type) {
		case map[string]any:
			v = fmt.Sprintf("{%d}", len(x))
		case []any:
			v = fmt.Sprintf("[%d]", len(x))
		default:
			j, err := json.Marshal(x)
			if err != nil {
				v = fmt.Sprintf("!%T", x)
			} else {
				v = string(j)
			}
		}
		fmt.Fprintf(&b, " %s=%s", c, v)
	}
	for p := r.Parent; p != nil; p = p.Parent {
		b.WriteString(" <- " + p.Origin.String())
	}
	return b.String()
}

// renderJSONRows renders every row with renderJSONRow.
func renderJSONRows(rows []Row) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = renderJSONRow(r)
	}
	return out
}

// checkLines compares rendered rows with want, line by line.
func checkLines(t *testing.T, got, want []string) {
	t.Helper()
	if len(got) == 0 && len(want) == 0 || reflect.DeepEqual(got, want) {
		return
	}
	t.Errorf("got %d rows, want %d", len(got), len(want))
	for i := range max(len(got), len(want)) {
		var g, w string
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			t.Errorf("row %d:\n got: %s\nwant: %s", i, g, w)
		}
	}
}

func TestOpenJSONRows(t *testing.T) {
	tests := []struct {
		name    string
		file    string
		content string
		format  string
		explode []string
		want    []string
	}{
		{name: "single object", file: "o.json", content: "\n  {\"b\": 1, \"a\": \"x\", \"c\": null}\n",
			want: []string{`o.json:1 b=1 a="x" c=null`}},
		{name: "array with origins by element", file: "a.json",
			content: "[{\"n\": 1.50, \"t\": true},\n {\"n\": -2e3, \"o\": {\"k\": [1]}, \"l\": [1, 2]}]",
			want:    []string{`a.json:1 n=1.50 t=true`, `a.json:2 n=-2e3 o={1} l=[2]`}},
		{name: "empty array", file: "a.json", content: " [ ] \n", want: nil},
		{name: "byte order mark", file: "a.json", content: "\xef\xbb\xbf[{\"a\":\"é\"}]", want: []string{`a.json:1 a="é"`}},
		{name: "escaped strings", file: "a.json", content: `[{"a\"b":"x\ny","u":"\u00e6"}]`, want: []string{`a.json:1 a"b="x\ny" u="æ"`}},
		{name: "elements that are not objects", file: "a.json", content: `[{"a":1}, 2, null, "s", [], {"a":3}]`,
			want: []string{`a.json:1 a=1`, `a.json:2 ERR a.json:2: is a number, not an object`,
				`a.json:3 ERR a.json:3: is null, not an object`, `a.json:4 ERR a.json:4: is a string, not an object`,
				`a.json:5 ERR a.json:5: is an array, not an object`, `a.json:6 a=3`}},
		{name: "top-level string", file: "s.json", content: `"hello"`, want: []string{`s.json:1 ERR s.json:1: is a string, not an object`}},
		{name: "duplicate key", file: "d.json", content: `{"a":1,"b":2,"a":3}`,
			want: []string{`d.json:1 ERR d.json:1/a: duplicate key a=1 b=2 a=3`}},
		{name: "jsonl by extension, blank lines and CRLF", file: "x.jsonl", content: "{\"a\":1}\r\n\r\n  \n{\"a\":2}\n{\"a\":3}",
			want: []string{`x.jsonl:1 a=1`, `x.jsonl:4 a=2`, `x.jsonl:5 a=3`}},
		{name: "ndjson by extension", file: "x.ndjson", content: "\xef\xbb\xbf{\"a\":1}\n{\"a\":2}\n",
			want: []string{`x.ndjson:1 a=1`, `x.ndjson:2 a=2`}},
		{name: "declared jsonl", file: "x.txt", format: "jsonl", content: "{\"a\":1}\n", want: []string{`x.txt:1 a=1`}},
		{name: "jsonl bad lines go on", file: "x.jsonl",
			content: "{\"a\":1}\n{\"a\":}\n{\"a\":1} {\"b\":2}\n{\"a\":\n42\n{\"a\":5}\n",
			want: []string{`x.jsonl:1 a=1`,
				`x.jsonl:2 ERR x.jsonl:2: column 6: invalid character '}' looking for beginning of value`,
				`x.jsonl:3 ERR x.jsonl:3: column 9: invalid character '{' after top-level value`,
				`x.jsonl:4 ERR x.jsonl:4: unexpected end of line`,
				`x.jsonl:5 ERR x.jsonl:5: is a number, not an object`,
				`x.jsonl:6 a=5`}},
		{name: "empty file", file: "e.json", content: " \n", want: []string{`e.json:1 ERR e.json:1: empty file: want a JSON object or an array of objects`}},
		{name: "truncated array", file: "t.json", content: "[\n {\"a\": 1},\n {\"a\":\n  2",
			want: []string{`t.json:1 a=1`, `t.json:2 ERR t.json:2: line 4: unexpected end of file`}},
		{name: "array not closed", file: "t.json", content: "[\n {\"a\": 1}\n\n",
			want: []string{`t.json:1 a=1`, `t.json:2 ERR t.json:2: line 3: unexpected end of file: the array is not closed`}},
		{name: "end after comma", file: "t.json", content: "[{\"a\": 1},\n",
			want: []string{`t.json:1 a=1`, `t.json:2 ERR t.json:2: line 1: unexpected end of file`}},
		{name: "invalid character in an element", file: "t.json", content: "[{\"a\": 1},\n {\"a\": 2,\n  \"b\": x}, {\"a\": 3}]",
			want: []string{`t.json:1 a=1`, `t.json:2 ERR t.json:2: line 3, column 8: invalid character 'x' looking for beginning of value`}},
		{name: "missing comma", file: "t.json", content: "[{\"a\": 1}\n  {\"a\": 2}]",
			want: []string{`t.json:1 a=1`, `t.json:2 ERR t.json:2: line 2, column 3: invalid character '{' after array element`}},
		{name: "trailing comma", file: "t.json", content: `[{"a": 1},]`,
			want: []string{`t.json:1 a=1`, `t.json:2 ERR t.json:2: line 1, column 11: invalid character ']' looking for beginning of value`}},
		{name: "data after the array", file: "t.json", content: "[{\"a\": 1}]\n]",
			want: []string{`t.json:1 a=1`, `t.json:2 ERR t.json:2: line 2, column 1: invalid character ']' after top-level value`}},
		{name: "two objects", file: "t.json", content: "{\"a\": 1}\n{\"a\": 2}",
			want: []string{`t.json:1 a=1`, `t.json:2 ERR t.json:2: line 2, column 1: invalid character '{' after top-level value`}},
		{name: "broken single object", file: "t.json", content: "{\n\t\"a\": tru }",
			want: []string{`t.json:1 ERR t.json:1: line 2, column 10: invalid character ' ' in literal true (expecting 'e')`}},
		{name: "explode one level", file: "o.json", explode: []string{"Lines"},
			content: `[{"No":"A","Lines":[{"L":1},{"L":2,"Q":"3"}]},{"No":"B"},{"No":"C","Lines":null},{"No":"D","Lines":[{"L":9}]}]`,
			want:    []string{`o.json:1/Lines/0 L=1 <- o.json:1`, `o.json:1/Lines/1 L=2 Q="3" <- o.json:1`, `o.json:4/Lines/0 L=9 <- o.json:4`}},
		{name: "explode two levels", file: "o.jsonl", explode: []string{"Lines", "Serials"},
			content: "{\"No\":\"A\",\"Lines\":[{\"L\":1,\"Serials\":[{\"S\":\"x\"},{\"S\":\"y\"}]},{\"L\":2},{\"L\":3,\"Serials\":[]}]}\n" +
				"{\"No\":\"B\",\"Lines\":[{\"L\":1,\"Serials\":[{\"S\":\"z\"}]}]}\n",
			want: []string{`o.jsonl:1/Lines/0/Serials/0 S="x" <- o.jsonl:1/Lines/0 <- o.jsonl:1`,
				`o.jsonl:1/Lines/0/Serials/1 S="y" <- o.jsonl:1/Lines/0 <- o.jsonl:1`,
				`o.jsonl:2/Lines/0/Serials/0 S="z" <- o.jsonl:2/Lines/0 <- o.jsonl:2`}},
		{name: "explode path errors", file: "o.json", explode: []string{"Lines", "Serials"},
			content: `[{"No":"A","Lines":"none"},{"No":"B","Lines":[7,{"L":2,"Serials":{}},{"L":3,"Serials":[{"S":"s"},false]}]},` +
				`{"No":"C","Lines":[{"L":1,"L":1,"Serials":[{"S":"t"}]}]},[],{"No":"E","Lines":[{"Serials":[{"S":"u","S":"v"}]}]}]`,
			want: []string{`o.json:1/Lines ERR o.json:1/Lines: is a string, not an array <- o.json:1`,
				`o.json:2/Lines/0 ERR o.json:2/Lines/0: is a number, not an object <- o.json:2`,
				`o.json:2/Lines/1/Serials ERR o.json:2/Lines/1/Serials: is an object, not an array <- o.json:2/Lines/1 <- o.json:2`,
				`o.json:2/Lines/2/Serials/0 S="s" <- o.json:2/Lines/2 <- o.json:2`,
				`o.json:2/Lines/2/Serials/1 ERR o.json:2/Lines/2/Serials/1: is a boolean, not an object <- o.json:2/Lines/2 <- o.json:2`,
				`o.json:3/Lines/0 ERR o.json:3/Lines/0/L: duplicate key L=1 L=1 Serials=[1] <- o.json:3`,
				`o.json:4 ERR o.json:4: is an array, not an object`,
				`o.json:5/Lines/0/Serials/0 ERR o.json:5/Lines/0/Serials/0/S: duplicate key S="u" S="v" <- o.json:5/Lines/0 <- o.json:5`}},
		{name: "explode key needing escapes", file: "o.json", explode: []string{"a/b~c"},
			content: `{"a/b~c":[{"x":1}]}`, want: []string{`o.json:1/a~1b~0c/0 x=1 <- o.json:1`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := openJSONContent(t, tt.file, tt.content, spec.Source{Format: tt.format, Explode: tt.explode})
			if err != nil {
				t.Fatalf("OpenJSON: %v", err)
			}
			checkLines(t, renderJSONRows(readAll(t, s)), tt.want)
		})
	}
}

func TestOpenJSONValues(t *testing.T) {
	s, err := openJSONContent(t, "v.json", `{"s":"x","n":12.50,"b":false,"z":null,"o":{"k":[1,"2"]},"a":[{"q":3}]}`,
		spec.Source{Explode: []string{"a"}})
	if err != nil {
		t.Fatal(err)
	}
	rows := readAll(t, s)
	if len(rows) != 1 || rows[0].Parent == nil {
		t.Fatalf("rows = %q", renderJSONRows(rows))
	}
	if want := []any{json.Number("3")}; !reflect.DeepEqual(rows[0].Values, want) {
		t.Errorf("child values = %#v, want %#v", rows[0].Values, want)
	}
	doc := rows[0].Parent
	wantCols := []string{"s", "n", "b", "z", "o", "a"}
	wantVals := []any{"x", json.Number("12.50"), false, nil,
		map[string]any{"k": []any{json.Number("1"), "2"}},
		[]any{map[string]any{"q": json.Number("3")}}}
	if !reflect.DeepEqual(doc.Columns, wantCols) || !reflect.DeepEqual(doc.Values, wantVals) {
		t.Errorf("document row = %q %#v,\nwant %q %#v", doc.Columns, doc.Values, wantCols, wantVals)
	}
	if got, want := rows[0].Cell("q"), "v.json:1/a/0/q"; got != want {
		t.Errorf("Cell = %q, want %q", got, want)
	}
}

func TestOpenJSONErrors(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "sub.json"), 0o700); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		src  spec.Source
		want string
	}{
		{name: "missing file", src: spec.Source{Path: "in/none.json", File: filepath.Join(dir, "none.json")},
			want: "in/none.json: stat " + filepath.Join(dir, "none.json") + ": no such file or directory"},
		{name: "folder without json files", src: spec.Source{Path: "in", File: dir},
			want: "in: the folder holds no .json files"},
		{name: "folder without jsonl files", src: spec.Source{Path: "in", File: dir, Format: "jsonl"},
			want: "in: the folder holds no .jsonl or .ndjson files"},
		{name: "other format", src: spec.Source{Path: "in", File: dir, Format: "csv"},
			want: `in: format "csv" is not json or jsonl`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := OpenJSON(&tt.src)
			if err == nil {
				s.Close()
				t.Fatalf("OpenJSON succeeded, want %q", tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("error = %q, want %q", err, tt.want)
			}
		})
	}
}

func TestOpenJSONTestdata(t *testing.T) {
	tests := []struct {
		name    string
		path    string
		explode []string
		want    []string
	}{
		{name: "folder of documents", path: "erporders", want: []string{
			`erporders/ORD-10041.json:1 OrderNo="ORD-10041" OrderDate="2024-03-04T09:15:00" CustomerNo="K-2001" CustomerName="Fjordkraft Service AS" Source="ERP" Orderlines=[2]`,
			`erporders/ORD-10042.json:1 OrderNo="ORD-10042" OrderDate="2024-03-05T13:40:00" CustomerNo="K-2044" CustomerName="Bergen Eiendom \"Sentrum\" AS" Source="ERP" Orderlines=[1]`,
			`erporders/ORD-10043.json:1 OrderNo="ORD-10043" OrderDate="2024-03-06T08:00:00" CustomerNo="K-2001" CustomerName="Fjordkraft Service AS" Source="ERP" Comment="Ingen ordrelinjer ennå" Orderlines=null`,
		}},
		{name: "folder, order lines", path: "erporders", explode: []string{"Orderlines"}, want: []string{
			`erporders/ORD-10041.json:1/Orderlines/0 LineNo=1 ProductNo="HP-3000" Description="Varmepumpe 3 kW" Quantity=2 SerialNumber=null BatchNo=null ERPSerials=[2] ERPFields=[2] <- erporders/ORD-10041.json:1`,
			`erporders/ORD-10041.json:1/Orderlines/1 LineNo=2 ProductNo="FLT-20" Description="Filter, 20-pakning" Quantity=1.5 SerialNumber=null BatchNo="B-2024-113" ERPSerials=[0] ERPFields=[0] <- erporders/ORD-10041.json:1`,
			`erporders/ORD-10042.json:1/Orderlines/0 LineNo=1 ProductNo="DEF-11" Description="Hjertestarter" Quantity=1 SerialNumber="DEF11-9A7731" BatchNo=null ERPSerials=[1] ERPFields=[1] <- erporders/ORD-10042.json:1`,
		}},
		{name: "folder, serials", path: "erporders", explode: []string{"Orderlines", "ERPSerials"}, want: []string{
			`erporders/ORD-10041.json:1/Orderlines/0/ERPSerials/0 SerialNo="HP3-24-00017" <- erporders/ORD-10041.json:1/Orderlines/0 <- erporders/ORD-10041.json:1`,
			`erporders/ORD-10041.json:1/Orderlines/0/ERPSerials/1 SerialNo="HP3-24-00018" <- erporders/ORD-10041.json:1/Orderlines/0 <- erporders/ORD-10041.json:1`,
			`erporders/ORD-10042.json:1/Orderlines/0/ERPSerials/0 SerialNo="DEF11-9A7731" <- erporders/ORD-10042.json:1/Orderlines/0 <- erporders/ORD-10042.json:1`,
		}},
		{name: "folder, fields", path: "erporders", explode: []string{"Orderlines", "ERPFields"}, want: []string{
			`erporders/ORD-10041.json:1/Orderlines/0/ERPFields/0 Name="Warranty" Value="5 år" <- erporders/ORD-10041.json:1/Orderlines/0 <- erporders/ORD-10041.json:1`,
			`erporders/ORD-10041.json:1/Orderlines/0/ERPFields/1 Name="Installer" Value="Kari Nordmann" <- erporders/ORD-10041.json:1/Orderlines/0 <- erporders/ORD-10041.json:1`,
			`erporders/ORD-10042.json:1/Orderlines/0/ERPFields/0 Name="Location" Value="Resepsjon, 1. etg." <- erporders/ORD-10042.json:1/Orderlines/0 <- erporders/ORD-10042.json:1`,
		}},
		{name: "jsonl export, order lines", path: "orders.jsonl", explode: []string{"Orderlines"}, want: []string{
			`orders.jsonl:1/Orderlines/0 LineNo=1 ProductNo="PMP-7" Quantity=1 ERPSerials=[1] ERPFields=[0] <- orders.jsonl:1`,
			`orders.jsonl:4/Orderlines/0 LineNo=1 ProductNo="VLV-2" Quantity=4 BatchNo="B-77" ERPSerials=[0] ERPFields=[1] <- orders.jsonl:4`,
			`orders.jsonl:4/Orderlines/1 LineNo=2 ProductNo="PMP-7" Quantity=1 ERPSerials=[1] ERPFields=[0] <- orders.jsonl:4`,
		}},
		{name: "array file", path: "orders-array.json", want: []string{
			`orders-array.json:1 OrderNo="ORD-30001" OrderDate="2024-05-10" CustomerNo="K-4000" Total=1249.50 Orderlines=[1]`,
			`orders-array.json:2 OrderNo="ORD-30002" OrderDate="2024-05-11" CustomerNo="K-4001" Total=0 Express=true Orderlines=[0]`,
		}},
		{name: "broken file", path: "broken.json", explode: []string{"Orderlines"}, want: []string{
			`broken.json:2 ERR broken.json:2: line 4: unexpected end of file`,
		}},
		{name: "bad lines", path: "bad-lines.jsonl", explode: []string{"Orderlines"}, want: []string{
			`bad-lines.jsonl:2 ERR bad-lines.jsonl:2: column 40: invalid character '}' looking for beginning of value`,
			`bad-lines.jsonl:3 ERR bad-lines.jsonl:3: is an array, not an object`,
			`bad-lines.jsonl:5/Orderlines ERR bad-lines.jsonl:5/Orderlines: is a string, not an array <- bad-lines.jsonl:5`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := OpenJSON(&spec.Source{Name: "orders", Path: tt.path, File: filepath.Join("testdata", "json", tt.path), Explode: tt.explode})
			if err != nil {
				t.Fatalf("OpenJSON: %v", err)
			}
			checkLines(t, renderJSONRows(readAll(t, s)), tt.want)
		})
	}
}

// TestOpenJSONParentAccess checks that an exploded row reaches its line's and its order's
// fields, and that the order's row still holds the whole array.
func TestOpenJSONParentAccess(t *testing.T) {
	s, err := OpenJSON(&spec.Source{Path: "erporders", File: filepath.Join("testdata", "json", "erporders"),
		Explode: []string{"Orderlines", "ERPSerials"}})
	if err != nil {
		t.Fatal(err)
	}
	rows := readAll(t, s)
	if len(rows) != 3 {
		t.Fatalf("%d rows, want 3", len(rows))
	}
	serial := rows[1]
	line, order := serial.Parent, serial.Parent.Parent
	for _, c := range []struct {
		row    *Row
		column string
		want   any
	}{
		{&serial, "SerialNo", "HP3-24-00018"},
		{line, "ProductNo", "HP-3000"},
		{line, "Quantity", json.Number("2")},
		{order, "OrderNo", "ORD-10041"},
		{order, "CustomerName", "Fjordkraft Service AS"},
	} {
		if got, ok := c.row.Value(c.column); !ok || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s = %#v (%v), want %#v", c.row.Cell(c.column), got, ok, c.want)
		}
	}
	if order.Parent != nil || rows[0].Parent.Parent != order {
		t.Errorf("serials of one order do not share the order's row")
	}
	lines, _ := order.Value("Orderlines")
	if l, ok := lines.([]any); !ok || len(l) != 2 || l[1].(map[string]any)["BatchNo"] != "B-2024-113" {
		t.Errorf("order's Orderlines = %#v, want both lines", lines)
	}
}

// TestOpenJSONFolderGoesOn checks that a broken member ends only itself: the next file is read.
func TestOpenJSONFolderGoesOn(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"1.json":    `[{"a":1},{"a":2}]`,
		"2.json":    "[{\"a\":3},\n{\"a\" 4},{\"a\":5}]",
		"3.JSON":    `{"a":6}`,
		"4.jsonl":   `{"a":7}`,
		"README.md": "not read",
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	s, err := OpenJSON(&spec.Source{Path: "in", File: dir})
	if err != nil {
		t.Fatal(err)
	}
	checkLines(t, renderJSONRows(readAll(t, s)), []string{
		`in/1.json:1 a=1`, `in/1.json:2 a=2`, `in/2.json:1 a=3`,
		`in/2.json:2 ERR in/2.json:2: line 2, column 6: invalid character '4' after object key`,
		`in/3.JSON:1 a=6`,
	})
}

// TestJSONLarge reads a generated 50,000-element array and checks that the reader does not hold
// it: the live heap, sampled after garbage collection while reading, stays well below the file.
func TestJSONLarge(t *testing.T) {
	const n = 50_000
	file := filepath.Join(t.TempDir(), "big.json")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprint(w, "[\n")
	pad := strings.Repeat("x", 300)
	for i := range n {
		if i > 0 {
			fmt.Fprint(w, ",\n")
		}
		fmt.Fprintf(w, `{"OrderNo":"ORD-%06d","Orderlines":[{"LineNo":1,"Description":"%s"},{"LineNo":2}]}`, i, pad)
	}
	fmt.Fprint(w, "\n]\n")
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}

	s, err := OpenJSON(&spec.Source{Path: "big.json", File: file, Explode: []string{"Orderlines"}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var peak uint64
	count := 0
	for {
		row, err := s.Next(t.Context())
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if row.Err != nil {
			t.Fatalf("row %d: %v", count, row.Err)
		}
		doc := count/2 + 1
		if want := fmt.Sprintf("big.json:%d/Orderlines/%d", doc, count%2); row.Origin.String() != want {
			t.Fatalf("row %d: origin %s, want %s", count, row.Origin, want)
		}
		count++
		if count%10_000 == 0 {
			peak = max(peak, liveHeap())
		}
	}
	if count != 2*n {
		t.Fatalf("%d rows, want %d", count, 2*n)
	}
	if limit := uint64(fi.Size()) / 4; peak > limit {
		t.Errorf("live heap reached %d bytes reading a %d-byte file; want under %d", peak, fi.Size(), limit)
	}
}

func TestJSONContextCancel(t *testing.T) {
	s, err := OpenJSON(&spec.Source{Path: "erporders", File: filepath.Join("testdata", "json", "erporders")})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx, cancel := context.WithCancel(t.Context())
	if _, err := s.Next(ctx); err != nil {
		t.Fatal(err)
	}
	cancel()
	if _, err := s.Next(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Next after cancel = %v, want context.Canceled", err)
	}
}

func TestJSONClose(t *testing.T) {
	s, err := OpenJSON(&spec.Source{Path: "orders.jsonl", File: filepath.Join("testdata", "json", "orders.jsonl")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Next(t.Context()); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if err := s.Close(); err != nil {
			t.Errorf("Close %d: %v", i+1, err)
		}
	}
	if _, err := s.Next(t.Context()); err == nil {
		t.Error("Next after Close succeeded")
	}
}

// liveHeap returns the bytes of live heap objects after a garbage collection.
func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
