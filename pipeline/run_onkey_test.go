package pipeline_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bulkload/bulkload/pipeline"
	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/spec"
)

// fakeOnKey is a minimal On Key import endpoint: it logs every request's records and answers with
// per-record results, failing the userObjectIds in fail.
type fakeOnKey struct {
	mu    sync.Mutex
	fail  map[string]bool
	delay time.Duration
	log   []fakeRequest
	token string
}

type fakeRequest struct {
	start, end time.Time
	groups     []int
	uoids      []string
}

func (f *fakeOnKey) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if f.token != "" && r.Header.Get("Authorization") != "Bearer "+f.token {
		w.WriteHeader(401)
		return
	}
	start := time.Now()
	var recs []struct {
		UserObjectID string `json:"userObjectId"`
		GroupOrder   int    `json:"groupOrder"`
	}
	body, _ := io.ReadAll(r.Body)
	if err := json.Unmarshal(body, &recs); err != nil || r.Header.Get("Content-Type") != "application/vnd.onkey.entityimportcollection+json" {
		w.WriteHeader(400)
		return
	}
	time.Sleep(f.delay)
	var results []map[string]any
	req := fakeRequest{start: start}
	for i, rec := range recs {
		req.groups = append(req.groups, rec.GroupOrder)
		req.uoids = append(req.uoids, rec.UserObjectID)
		if f.fail[rec.UserObjectID] {
			results = append(results, map[string]any{"userObjectId": rec.UserObjectID, "status": "Failed",
				"messages": []map[string]any{{"code": "Core_NotNullValidator", "message": "Description is required", "severity": "error", "userObjectId": rec.UserObjectID, "properties": []string{"description"}}}})
			continue
		}
		results = append(results, map[string]any{"userObjectId": rec.UserObjectID, "id": 1000 + i, "version": 1, "status": "Succeeded"})
	}
	req.end = time.Now()
	f.mu.Lock()
	f.log = append(f.log, req)
	f.mu.Unlock()
	_ = json.NewEncoder(w).Encode(results)
}

// groupsJob maps each row of rows.csv to an A (group 1), a B (group 2, child of A) and a C
// (group 3, child of B) record.
func groupsJob(url string, batch, concurrency, maxErrors int) string {
	return fmt.Sprintf(`version: 1
name: groups
target: {kind: onkey, url: %q, tenant: t, connection: c, auth: {kind: bearer, token_env: TEST_ONKEY_TOKEN}}
submit: {batch_size: %d, concurrency: %d, max_errors: %d, retries: 1}
sources:
  - {name: rows, file: rows.csv, schema: row.schema.json}
entities:
  - {name: a, source: rows, entityType: SiteType, action: Merge, id: code(row.id), groupOrder: 1, userObjectId: '"A" + row.id', properties: {code: row.id}}
  - name: b
    source: rows
    entityType: Site
    action: Merge
    id: code(row.id)
    groupOrder: 2
    userObjectId: '"B" + row.id'
    parent: {entity: a, userObjectId: '"A" + row.id'}
    properties: {code: row.id}
  - name: c
    source: rows
    entityType: Asset
    action: Create
    groupOrder: 3
    userObjectId: '"C" + row.id'
    parent: {entity: b, userObjectId: '"B" + row.id'}
    properties: {code: row.id}
`, url, batch, concurrency, maxErrors)
}

func runGroups(t *testing.T, f *fakeOnKey, rows, batch, concurrency, maxErrors int) (*pipeline.Outcome, error, string) {
	t.Helper()
	return runGroupsOn(t, httptest.NewServer(f), f, rows, batch, concurrency, maxErrors, pipeline.RunOptions{})
}

// runGroupsOn is runGroups against srv (serving f), with ro's Insecure.
func runGroupsOn(t *testing.T, srv *httptest.Server, f *fakeOnKey, rows, batch, concurrency, maxErrors int, ro pipeline.RunOptions) (*pipeline.Outcome, error, string) {
	t.Helper()
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	var csv strings.Builder
	csv.WriteString("id\n")
	for i := 1; i <= rows; i++ {
		fmt.Fprintf(&csv, "%03d\n", i)
	}
	for name, content := range map[string]string{"job.yaml": groupsJob(srv.URL, batch, concurrency, maxErrors),
		"rows.csv": csv.String(), "row.schema.json": `{"type": "object", "properties": {"id": {"type": "string"}}}`} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	job, err := spec.Load(filepath.Join(dir, "job.yaml"), nil)
	if err != nil {
		t.Fatal(err)
	}
	out, err := pipeline.Run(t.Context(), job, pipeline.RunOptions{Options: pipeline.Options{RunDir: filepath.Join(dir, "run")},
		Getenv:   func(k string) string { return map[string]string{"TEST_ONKEY_TOKEN": f.token}[k] },
		Insecure: ro.Insecure})
	return out, err, filepath.Join(dir, "run")
}

// TestOnKeyFailedRecordsAndSkippedChildren: records the server fails are failed with its code and
// message under their userObjectIds; their children are skipped and never sent.
func TestOnKeyFailedRecordsAndSkippedChildren(t *testing.T) {
	f := &fakeOnKey{fail: map[string]bool{"A002": true, "B005": true}, token: "t"}
	out, err, run := runGroups(t, f, 6, 50, 2, 0)
	if err != nil {
		t.Fatal(err)
	}
	var sent []string
	for _, r := range f.log {
		sent = append(sent, r.uoids...)
	}
	for _, never := range []string{"B002", "C002", "C005"} {
		if slices.Contains(sent, never) {
			t.Errorf("%s was sent though its parent failed", never)
		}
	}
	lines := reportLines(t, run)
	for _, want := range []string{
		"A002 failed: description: Description is required (bulkload found no source column for description)",
		`B002 skipped: parent: parent "A002" is failed`,
		`C002 skipped: parent: parent "B002" is skipped`,
		"B005 failed: description: Description is required (bulkload found no source column for description)",
		`C005 skipped: parent: parent "B005" is failed`,
		"A001 succeeded", "C006 succeeded",
	} {
		if !slices.Contains(lines, want) {
			t.Errorf("report.jsonl lacks %q:\n%s", want, strings.Join(lines, "\n"))
		}
	}
	if got := out.Summary.Count(record.Succeeded); got != 18-5 {
		t.Errorf("%d succeeded, want 13", got)
	}
}

// TestOnKeyMaxErrorsAborts: the run stops handing out batches once max_errors records failed;
// what was not sent stays pending in the report.
func TestOnKeyMaxErrorsAborts(t *testing.T) {
	fail := map[string]bool{}
	for i := 1; i <= 30; i++ {
		fail[fmt.Sprintf("A%03d", i)] = true
	}
	f := &fakeOnKey{fail: fail, token: "t"}
	out, err, _ := runGroups(t, f, 30, 5, 1, 3)
	var abort *pipeline.AbortError
	if !errors.As(err, &abort) || !strings.Contains(err.Error(), "5 records failed, the limit is 3") {
		t.Fatalf("error %v, want an abort after the limit", err)
	}
	if len(f.log) != 1 {
		t.Errorf("%d requests, want 1 (concurrency 1, the first batch passes the limit)", len(f.log))
	}
	if got := out.Summary.Count(record.Pending); got != 25+60 {
		t.Errorf("%d pending, want 85", got)
	}
}

// TestOnKeyTokenNeverWritten: the token is sent to the target and appears in no file of the run.
func TestOnKeyTokenNeverWritten(t *testing.T) {
	f := &fakeOnKey{token: "s3cret-t0ken-value"}
	_, err, run := runGroups(t, f, 3, 10, 2, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.log) == 0 {
		t.Fatal("nothing was sent")
	}
	_ = filepath.WalkDir(filepath.Dir(run), func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := os.ReadFile(path)
		if strings.Contains(string(b), f.token) {
			t.Errorf("%s contains the token", path)
		}
		return nil
	})
}

// A target with a certificate nobody vouches for is refused before any row is read, naming the
// certificate problem; with Insecure (--insecure) the run goes through.
func TestTLSVerifiedUnlessInsecure(t *testing.T) {
	f := &fakeOnKey{token: "t"}
	out, err, _ := runGroupsOn(t, quietTLSServer(f), f, 3, 10, 2, 0, pipeline.RunOptions{})
	var abort *pipeline.AbortError
	if !errors.As(err, &abort) || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("run against a self-signed target: %v; want an abort naming the certificate", err)
	}
	if len(f.log) != 0 || out != nil {
		t.Errorf("%d requests reached the target, outcome %v; want none (refused by the check before reading)", len(f.log), out)
	}
	f = &fakeOnKey{token: "t"}
	out, err, _ = runGroupsOn(t, quietTLSServer(f), f, 3, 10, 2, 0, pipeline.RunOptions{Insecure: true})
	if err != nil || out.Summary.Count(record.Succeeded) != 9 {
		t.Fatalf("with Insecure: %v, %d succeeded; want 9", err, out.Summary.Count(record.Succeeded))
	}
}

// quietTLSServer is httptest.NewTLSServer without the log of refused handshakes.
func quietTLSServer(h http.Handler) *httptest.Server {
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	return srv
}
