package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestOnKeySitesMatchesSeedExample checks the acceptance point that the onkey-sites dry run
// produces import records structurally equal to the EntityImportCollection example of the On Key
// docs (seed 003) for the same data: converters, groupOrder, action, userObjectId and id. The
// example's two records are in testdata, copied from the seed with its "..." elisions removed.
func TestOnKeySitesMatchesSeedExample(t *testing.T) {
	runDir := t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := run(t.Context(), []string{"validate", "--out", runDir, "../../samples/onkey-sites/job.yaml"},
		streams{out: &stdout, err: &stderr}); code != exitOK {
		t.Fatalf("exit %d, want 0; stdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
	var want []map[string]any
	decodeJSONFile(t, "testdata/seed003-import-example.json", &want)

	// Every record of every batch, by userObjectId, noting which batch (request) held it.
	got := map[string]map[string]any{}
	batches, _ := filepath.Glob(filepath.Join(runDir, "payloads", "*-group*.json"))
	if len(batches) == 0 {
		t.Fatal("no import batches written to payloads/")
	}
	for _, b := range batches {
		var records []map[string]any
		decodeJSONFile(t, b, &records)
		for _, r := range records {
			got[r["userObjectId"].(string)] = r
		}
	}
	for _, w := range want {
		id := w["userObjectId"].(string)
		g, ok := got[id]
		if !ok {
			t.Errorf("record %s missing from the payloads", id)
			continue
		}
		if !reflect.DeepEqual(g, w) {
			gj, _ := json.MarshalIndent(g, "", "  ")
			wj, _ := json.MarshalIndent(w, "", "  ")
			t.Errorf("record %s differs from the seed example\n--- want\n%s\n--- got\n%s", id, wj, gj)
		}
	}
}

func decodeJSONFile(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}
