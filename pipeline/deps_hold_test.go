package pipeline_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/bulkload/bulkload/pipeline"
	"github.com/bulkload/bulkload/spec"
)

// lossyOnKey answers imports with a result for every record but those in lost, which the
// answer leaves out, and every exists check with 500: what became of a lost record cannot be
// told. It logs the userObjectIds it received.
type lossyOnKey struct {
	mu       sync.Mutex
	lost     map[string]bool
	received []string
	// found, once set, makes exists checks answer: the records in it exist, no other does.
	found map[string]bool
}

func (f *lossyOnKey) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasSuffix(r.URL.Path, "/existschecks") {
		f.answerExists(w, r)
		return
	}
	var recs []struct {
		UserObjectID string `json:"userObjectId"`
	}
	body, _ := io.ReadAll(r.Body)
	if err := json.Unmarshal(body, &recs); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	var results []map[string]any
	f.mu.Lock()
	for i, rec := range recs {
		f.received = append(f.received, rec.UserObjectID)
		if !f.lost[rec.UserObjectID] {
			results = append(results, map[string]any{"userObjectId": rec.UserObjectID, "id": 1000 + i, "version": 1, "status": "Succeeded"})
		}
	}
	f.mu.Unlock()
	_ = json.NewEncoder(w).Encode(results)
}

// answerExists answers exists checks from found, or with 500 while found is nil.
func (f *lossyOnKey) answerExists(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	found := f.found
	f.mu.Unlock()
	if found == nil {
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	var checks []struct {
		UserObjectID string `json:"userObjectId"`
	}
	if err := json.NewDecoder(r.Body).Decode(&checks); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	var out []map[string]any
	for _, c := range checks {
		if found[c.UserObjectID] {
			out = append(out, map[string]any{"userObjectId": c.UserObjectID, "exists": true, "ids": []int{77}})
		} else {
			out = append(out, map[string]any{"userObjectId": c.UserObjectID, "exists": false})
		}
	}
	_ = json.NewEncoder(w).Encode(out)
}

// A Site whose SiteType's outcome is unknown is held back, pending, never sent, saying why.
func TestConverterDependencyUnknownHoldsBack(t *testing.T) {
	f := &lossyOnKey{lost: map[string]bool{"T-BAD": true}}
	srv := httptest.NewServer(f)
	defer srv.Close()
	dir := t.TempDir()
	files := depsFiles(`code(row.site_type)`)
	files["site_types.csv"] = "code,desc\nFAC,Facility\nBAD,Lost in the answer\nWH,Warehouse\n"
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	env := map[string]string{"SANDBOX_URL": srv.URL, "SANDBOX_TOKEN": "t"}
	job, err := spec.Load(filepath.Join(dir, "job.yaml"), func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	run := filepath.Join(dir, "run")
	out, err := pipeline.Run(context.Background(), job, pipeline.RunOptions{Options: pipeline.Options{RunDir: run},
		Getenv: func(k string) string { return env[k] }})
	if err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	received := strings.Join(f.received, " ")
	f.mu.Unlock()
	if strings.Contains(received, "S-S2") || strings.Contains(received, "S-S3") {
		t.Errorf("the Sites of the unknown SiteType were sent: %s", received)
	}
	if !strings.Contains(received, "S-S1") || !strings.Contains(received, "S-S4") {
		t.Errorf("the other Sites were not sent: %s", received)
	}
	rep := reportByUOID(t, out.RunDir)
	if got := rep["T-BAD"]["status"]; got != "unknown" {
		t.Fatalf("T-BAD is %v, want unknown (the test's premise)", got)
	}
	for _, u := range []string{"S-S2", "S-S3"} {
		errs, _ := json.Marshal(rep[u]["errors"])
		if rep[u]["status"] != "pending" || !strings.Contains(string(errs),
			`held back, not sent: it refers to SiteType \"BAD\" (userObjectId \"T-BAD\", site_types.csv:3), which is unknown`) {
			t.Errorf("%s: %v %s; want pending, held back naming T-BAD", u, rep[u]["status"], errs)
		}
	}

	// Once the SiteType is settled (a Merge is sent again, and answered this time), --resume
	// sends its Sites.
	f.mu.Lock()
	f.found, f.lost, f.received = map[string]bool{"T-BAD": true}, nil, nil
	f.mu.Unlock()
	out, err = pipeline.Resume(context.Background(), job, out.RunDir, pipeline.ResumeOptions{RunOptions: pipeline.RunOptions{
		Getenv: func(k string) string { return env[k] }}})
	if err != nil {
		t.Fatal(err)
	}
	rep = reportByUOID(t, out.RunDir)
	for _, u := range []string{"T-BAD", "S-S2", "S-S3"} {
		if rep[u]["status"] != "succeeded" {
			t.Errorf("after --resume %s is %v, want succeeded; errors %v", u, rep[u]["status"], rep[u]["errors"])
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if got := strings.Join(f.received, " "); !strings.HasSuffix(got, "S-S2 S-S3") || strings.Contains(got, "S-S1") {
		t.Errorf("--resume sent %q, want S-S2 S-S3 last, and nothing sent before", got)
	}
}
