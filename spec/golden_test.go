package spec

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestSamplesGolden loads copies of the samples' specs (testdata/samples, with empty data files)
// and compares the decoded jobs with testdata/*.golden.json. Run with -update to rewrite them.
func TestSamplesGolden(t *testing.T) {
	for _, name := range []string{"onkey-sites", "orders-csv"} {
		t.Run(name, func(t *testing.T) {
			spec := filepath.Join("testdata", "samples", name, "job.yaml")
			job, err := Load(spec, func(string) (string, bool) { return "", false })
			if err != nil {
				t.Fatal(err)
			}
			got, err := goldenJSON(job)
			if err != nil {
				t.Fatal(err)
			}
			got = []byte(strings.ReplaceAll(string(got), job.Dir, "$DIR"))
			golden := filepath.Join("testdata", name+".golden.json")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if string(got) != string(want) {
				t.Errorf("decoded %s differs from %s (run go test -update and review the diff):\n%s", spec, golden, got)
			}
		})
	}
}

// TestSamplesLoad loads the samples' own specs, next to their real data files: they must load
// with no error, and their copies in testdata must say the same.
func TestSamplesLoad(t *testing.T) {
	specs, err := filepath.Glob(filepath.Join("..", "samples", "*", "job.yaml"))
	if err != nil || len(specs) == 0 {
		t.Fatalf("no samples found: %v", err)
	}
	for _, spec := range specs {
		t.Run(filepath.Base(filepath.Dir(spec)), func(t *testing.T) {
			if _, err := Load(spec, func(string) (string, bool) { return "", false }); err != nil {
				t.Errorf("%v", err)
			}
		})
	}
}

// goldenJSON renders a job for a golden file: JSON, with every Value tree written as dumpValue
// writes it and every Pos as "line:col", so the file stays short enough to review.
func goldenJSON(job *Job) ([]byte, error) {
	b, err := json.Marshal(job)
	if err != nil {
		return nil, err
	}
	var tree any
	if err := json.Unmarshal(b, &tree); err != nil {
		return nil, err
	}
	var compact func(x any) any
	compact = func(x any) any {
		switch x := x.(type) {
		case map[string]any:
			if _, isValue := x["IsArray"]; isValue {
				b, _ := json.Marshal(x)
				var v Value
				_ = json.Unmarshal(b, &v)
				return dumpValue(&v)
			}
			if line, ok := x["Line"]; ok && len(x) == 2 {
				return fmt.Sprintf("%v:%v", line, x["Col"])
			}
			for k, e := range x {
				x[k] = compact(e)
			}
		case []any:
			for i, e := range x {
				x[i] = compact(e)
			}
		}
		return x
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	err = enc.Encode(compact(tree))
	return out.Bytes(), err
}

// dumpValue renders a Value tree compactly for test failures: expressions in backquotes,
// literals as Go values, positions after @.
func dumpValue(v *Value) string {
	if v == nil {
		return "nil"
	}
	at := fmt.Sprintf("@%d:%d", v.Pos.Line, v.Pos.Col)
	switch {
	case v.Fields != nil:
		parts := make([]string, len(v.Fields))
		for i, f := range v.Fields {
			parts[i] = f.Name + ": " + dumpValue(f.Value)
		}
		return "{" + strings.Join(parts, ", ") + "}" + at
	case v.IsArray:
		parts := make([]string, len(v.Items))
		for i, it := range v.Items {
			parts[i] = dumpValue(it)
		}
		return "[" + strings.Join(parts, ", ") + "]" + at
	case v.IsNull:
		return "null" + at
	case v.Literal != nil:
		return fmt.Sprintf("%#v", v.Literal) + at
	}
	return "`" + v.Expr + "`" + at
}
