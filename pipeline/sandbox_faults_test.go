package pipeline_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/sandbox"
)

// With 10% 500s, 5% 429s with Retry-After, 3% connection resets and 50 ms latency, a 20k-record
// import ends with every record stored exactly once (as the sandbox's inspection endpoint
// lists them), and the report agrees with the sandbox record by record: same userObjectIds,
// same server ids and versions.
func TestSandboxFaults20k(t *testing.T) {
	if testing.Short() {
		t.Skip("20k records through faults: not in -short")
	}
	cfg := sandbox.DefaultConfig()
	cfg.Faults.Seed = 20
	cfg.Faults.Latency = 50e6
	cfg.Faults.HTTP500Rate, cfg.Faults.HTTP429Rate, cfg.Faults.ResetRate = 0.10, 0.05, 0.03
	const rows = 6667 // x 3 entities = 20,001 records
	r := runSites(t, cfg, rows, 100, 8, "PerRecord", plainDesc, nil)
	if r.err != nil {
		t.Fatal(r.err)
	}
	faults := map[string]int{}
	for _, q := range r.sb.Requests() {
		faults[q.Fault]++
	}
	if faults[sandbox.FaultHTTP500] == 0 || faults[sandbox.FaultHTTP429] == 0 || faults[sandbox.FaultReset] == 0 {
		t.Fatalf("faults injected: %v; want some of each", faults)
	}
	// What the sandbox holds, as its inspection endpoint gives it.
	resp, err := http.Get(r.sb.URL() + "/_sandbox/records")
	if err != nil {
		t.Fatal(err)
	}
	var held []sandbox.Record
	err = json.NewDecoder(resp.Body).Decode(&held)
	resp.Body.Close()
	if err != nil {
		t.Fatalf("GET /_sandbox/records: %v", err)
	}
	stored := map[string]sandbox.Record{}
	for _, rec := range held {
		if rec.UserObjectID == "" {
			continue // seeded
		}
		if _, dup := stored[rec.UserObjectID]; dup {
			t.Errorf("%s is stored twice", rec.UserObjectID)
		}
		stored[rec.UserObjectID] = rec
	}
	if len(stored) != 3*rows {
		t.Errorf("%d records stored, want %d", len(stored), 3*rows)
	}
	data, err := os.ReadFile(filepath.Join(r.dir, "report.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) != 3*rows {
		t.Errorf("report has %d lines, want %d", len(lines), 3*rows)
	}
	mismatches := 0
	for _, line := range lines {
		var l struct {
			UserObjectID, Status, ServerID string
			Version                        int64
		}
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			t.Fatal(err)
		}
		rec, ok := stored[l.UserObjectID]
		if l.Status != string(record.Succeeded) || !ok || l.ServerID != fmt.Sprint(rec.ID) || l.Version != rec.Version {
			if mismatches++; mismatches <= 5 {
				t.Errorf("report %s %s id %s v%d; sandbox has %v (id %d v%d)", l.UserObjectID, l.Status, l.ServerID, l.Version, ok, rec.ID, rec.Version)
			}
		}
	}
	if mismatches > 0 {
		t.Errorf("%d records disagree", mismatches)
	}
	t.Logf("%d requests; faults injected: %v", len(r.sb.Requests()), faults)
}
