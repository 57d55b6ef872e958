package readers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// fuzzNextDoc is the second file of every fuzzed source: whatever the explode path, it yields
// exactly one row, so the test can see that reading went on after the fuzzed file.
const fuzzNextDoc = `{"z":1,"a":[{"b":[{"c":1}]}],"Orderlines":[{"ERPSerials":[{"c":1}]}]}`

// FuzzJSON feeds arbitrary bytes, as a json or a jsonl file and with several explode paths, to
// the JSON reader, followed by a second, valid file. Whatever the input, nothing panics or
// hangs; Next fails only with io.EOF; every row names its file, has lines in order and a parent
// chain no deeper than the explode path, and either has Err (a *RowError naming the row) or one
// value of a decoded JSON type per column; the second file is always read. For a json file
// read without explode, the rows agree with encoding/json: invalid JSON gives an error row, and
// valid JSON gives one row per document, whose values, when it has no error, are the document.
func FuzzJSON(f *testing.F) {
	seeds, err := filepath.Glob("testdata/json/*.json*")
	if err != nil {
		f.Fatal(err)
	}
	more, _ := filepath.Glob("testdata/json/erporders/*.json")
	for _, name := range append(seeds, more...) {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, strings.HasSuffix(name, ".jsonl"), uint8(0))
		f.Add(data, strings.HasSuffix(name, ".jsonl"), uint8(3))
		f.Add(data, false, uint8(4))
	}
	f.Add([]byte(`[{"a":[{"b":[1,{"c":"\u00e6"}]}]},`), false, uint8(2))
	f.Add([]byte("{\"a\":1}\n\n[\n{\"a\":1,\"a\":2}"), true, uint8(1))
	f.Add([]byte("\xef\xbb\xbf[{\"a\":\"\xff\"}] x"), false, uint8(0))

	explodes := [][]string{nil, {"a"}, {"a", "b"}, {"Orderlines"}, {"Orderlines", "ERPSerials"}}
	f.Fuzz(func(t *testing.T, data []byte, jsonl bool, explodeSel uint8) {
		explode := explodes[int(explodeSel)%len(explodes)]
		members := []jsonMember{
			{name: "fuzz.json", open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }},
			{name: "next.json", open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(fuzzNextDoc)), nil }},
		}
		s := newJSONSource(members, jsonl, explode)
		defer s.Close()
		var rows []Row
		for {
			if len(rows) > len(data)+2 {
				t.Fatalf("more rows (%d) than input bytes", len(rows))
			}
			row, err := s.Next(context.Background())
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("Next: %v", err)
			}
			checkFuzzRow(t, row, explode)
			if n := len(rows); n > 0 && row.Origin.File == rows[n-1].Origin.File && row.Origin.Line < rows[n-1].Origin.Line {
				t.Fatalf("row %s after %s", row.Origin, rows[n-1].Origin)
			}
			rows = append(rows, row)
		}
		if len(rows) == 0 {
			t.Fatal("no rows: the second file was not read")
		}
		if last := rows[len(rows)-1]; last.Origin.File != "next.json" || last.Origin.Line != 1 || last.Err != nil {
			t.Fatalf("last row %s (err %v), want the second file's row", last.Origin, last.Err)
		}
		if !jsonl && explode == nil {
			compareWithEncodingJSON(t, data, rows[:len(rows)-1])
		}
	})
}

// checkFuzzRow checks what must hold for any row.
func checkFuzzRow(t *testing.T, row Row, explode []string) {
	t.Helper()
	if row.Origin.File != "fuzz.json" && row.Origin.File != "next.json" {
		t.Fatalf("origin %s names no file", row.Origin)
	}
	if row.Origin.Line < 1 {
		t.Fatalf("origin %s: line below 1", row.Origin)
	}
	depth := 0
	for p := row.Parent; p != nil; p = p.Parent {
		depth++
		if !strings.HasPrefix(row.Origin.Path, p.Origin.Path) || p.Origin.Line != row.Origin.Line {
			t.Fatalf("row %s has parent %s", row.Origin, p.Origin)
		}
	}
	if depth > len(explode) {
		t.Fatalf("row %s: %d parents for explode path %q", row.Origin, depth, explode)
	}
	if row.Err != nil {
		var re *RowError
		if !errors.As(row.Err, &re) || !strings.HasPrefix(row.Err.Error(), row.Origin.String()) {
			t.Fatalf("row %s: error %q is not a *RowError naming the row", row.Origin, row.Err)
		}
		return
	}
	if len(explode) > 0 && depth != len(explode) {
		t.Fatalf("row %s: %d parents for explode path %q and no error", row.Origin, depth, explode)
	}
	if len(row.Columns) != len(row.Values) {
		t.Fatalf("row %s: %d columns, %d values", row.Origin, len(row.Columns), len(row.Values))
	}
	for _, v := range row.Values {
		if !isJSONValue(v) {
			t.Fatalf("row %s: value %#v is not a decoded JSON value", row.Origin, v)
		}
	}
}

// isJSONValue reports whether v is built only of the types a JSON row may hold.
func isJSONValue(v any) bool {
	switch x := v.(type) {
	case nil, string, json.Number, bool:
		return true
	case map[string]any:
		for _, e := range x {
			if !isJSONValue(e) {
				return false
			}
		}
		return true
	case []any:
		for _, e := range x {
			if !isJSONValue(e) {
				return false
			}
		}
		return true
	}
	return false
}

// compareWithEncodingJSON checks the rows of a json file read without explode against
// encoding/json's reading of the same bytes.
func compareWithEncodingJSON(t *testing.T, data []byte, rows []Row) {
	t.Helper()
	data = bytes.TrimPrefix(data, bomUTF8)
	if !json.Valid(data) {
		for _, r := range rows {
			if r.Err != nil {
				return
			}
		}
		t.Fatalf("invalid JSON gave %d rows and no error", len(rows))
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	docs, ok := v.([]any)
	if !ok {
		docs = []any{v}
	}
	if len(rows) != len(docs) {
		t.Fatalf("%d rows for %d documents", len(rows), len(docs))
	}
	for i, r := range rows {
		if r.Origin.Line != i+1 {
			t.Fatalf("row %d has origin %s", i, r.Origin)
		}
		doc, isObject := docs[i].(map[string]any)
		if r.Err != nil {
			continue // a document that is not an object, or has a duplicate key
		}
		if !isObject {
			t.Fatalf("row %s: document %#v is not an object, but the row has no error", r.Origin, docs[i])
		}
		got := make(map[string]any, len(r.Columns))
		for j, c := range r.Columns {
			got[c] = r.Values[j]
		}
		if !reflect.DeepEqual(got, doc) {
			t.Fatalf("row %s = %#v, want %#v", r.Origin, got, doc)
		}
	}
}
