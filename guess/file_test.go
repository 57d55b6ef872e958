package guess

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFile guesses small files of each kind written on the fly: what it finds, or the error.
func TestFile(t *testing.T) {
	utf16 := func(s string) string {
		b := []byte{0xFF, 0xFE}
		for _, r := range s {
			b = append(b, byte(r), byte(r>>8))
		}
		return string(b)
	}
	tests := []struct {
		name, file, content string
		want                string // "column:type" pairs, or the error
		key                 string
	}{
		{"utf-16 with a BOM", "u16.csv", utf16("code\tqty\r\nA\t1\r\nB\t2\r\n"), "code:string qty:integer", "code"},
		{"jsonl", "rows.jsonl", "{\"id\": 1, \"price\": 2.5, \"ok\": true, \"tags\": [\"a\"]}\n{\"id\": 2, \"price\": 3, \"ok\": false, \"tags\": []}\n",
			"id:integer price:number ok:boolean tags:array", "id"},
		{"json strings stay strings", "docs.json", `[{"no": "007", "when": "2024-01-02"}, {"no": "008", "when": "2024-02-03"}]`, "no:string when:date", "no"},
		{"json of mixed kinds", "mixed.json", `[{"v": 1}, {"v": "one"}]`, "v:", ""},
		{"header only", "empty.csv", "a,b\n", "no data rows to guess from: empty.csv", ""},
		{"nothing", "void.csv", "", "no header found", ""},
		{"binary", "bin.csv", "a\x00b\n", "holds NUL bytes", ""},
		{"pair key", "lines.csv", "order;line;qty\n1001;1;2\n1001;2;1\n1002;1;5\n", "order:integer line:integer qty:integer", "order+line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, tt.file)
			if err := os.WriteFile(path, []byte(tt.content), 0o644); err != nil {
				t.Fatal(err)
			}
			srcs, err := File(t.Context(), path, Options{Dir: dir})
			if err != nil {
				if !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("error %q, want %q", err, tt.want)
				}
				return
			}
			if len(srcs) != 1 {
				t.Fatalf("%d sources", len(srcs))
			}
			var got []string
			for _, c := range srcs[0].Columns {
				got = append(got, c.Name+":"+string(c.Type))
			}
			key := srcs[0].Key
			if srcs[0].Key2 != "" {
				key += "+" + srcs[0].Key2
			}
			if strings.Join(got, " ") != tt.want || key != tt.key {
				t.Errorf("columns %q key %q, want %q key %q", got, key, tt.want, tt.key)
			}
		})
	}
}

// TestSourceNotes: what concerns a source as a whole is said in its comments.
func TestSourceNotes(t *testing.T) {
	tests := []struct {
		name, content, want string
	}{
		{"two date orders", "a;b;c\n31.01.2024;01/31/2024;1\n01.02.2024;02/01/2024;2\n",
			"dates are written in different orders: a (dmy) and b (mdy)"},
		{"a column in another locale", "eu;us\n1 234,50;1,234.50\n12,00;99.25\n3,5;7.75\n",
			`string: its values are numbers with decimal ",", thousands " ", the other number columns use decimal ".", thousands ","`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "f.csv")
			if err := os.WriteFile(path, []byte(tt.content), 0o644); err != nil {
				t.Fatal(err)
			}
			srcs, err := File(t.Context(), path, Options{Dir: dir})
			if err != nil {
				t.Fatal(err)
			}
			job := string(Job{Name: "x", Sources: srcs, SampleRows: 10}.YAML())
			if !strings.Contains(job, tt.want) {
				t.Errorf("job lacks %q:\n%s", tt.want, job)
			}
		})
	}
}

// TestEnumOnlyForText: a CSV column of a handful of values gets an enum; the same values in a
// JSON source do not, since JSON strings are validated untrimmed.
func TestEnumOnlyForText(t *testing.T) {
	var csv, json strings.Builder
	csv.WriteString("kind\n")
	json.WriteString("[")
	for i := range 30 {
		k := []string{"Unique ", "Stock"}[i%2]
		csv.WriteString(k + "\n")
		if i > 0 {
			json.WriteString(",")
		}
		json.WriteString(`{"kind": "` + k + `"}`)
	}
	json.WriteString("]")
	for _, tt := range []struct {
		file, content string
		want          []string
	}{{"k.csv", csv.String(), []string{"Stock", "Unique"}}, {"k.json", json.String(), nil}} {
		dir := t.TempDir()
		path := filepath.Join(dir, tt.file)
		if err := os.WriteFile(path, []byte(tt.content), 0o644); err != nil {
			t.Fatal(err)
		}
		srcs, err := File(t.Context(), path, Options{Dir: dir})
		if err != nil {
			t.Fatal(err)
		}
		if got := srcs[0].Columns[0].Enum; strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("%s: enum %q, want %q", tt.file, got, tt.want)
		}
	}
}
