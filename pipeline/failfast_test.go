package pipeline_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bulkload/bulkload/pipeline"
	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/runstore"
	"github.com/bulkload/bulkload/sandbox"
	"github.com/bulkload/bulkload/spec"
)

// isPreflight reports whether q is the check a run makes before reading any row (an exists check
// of a Code no record has, or Onix Work's order statuses).
func isPreflight(q sandbox.Request) bool {
	return (len(q.UserObjectIDs) == 1 && q.UserObjectIDs[0] == "bulkload-preflight") ||
		strings.EqualFold(q.Path, "/v1/company/order-statuses")
}

// sandboxHolds is the number of records the sandbox holds, as its inspection endpoint
// GET /_sandbox/records lists them (On Key) plus its Onix Work orders and lines.
func sandboxHolds(t *testing.T, sb *sandbox.Server) int {
	t.Helper()
	n := 0
	for _, path := range []string{"/_sandbox/records", "/_sandbox/onixwork"} {
		resp, err := http.Get(sb.URL() + path)
		if err != nil {
			t.Fatal(err)
		}
		var records []json.RawMessage
		var onix struct{ Orders, OrderLines []json.RawMessage }
		if path == "/_sandbox/records" {
			err = json.NewDecoder(resp.Body).Decode(&records)
		} else {
			err = json.NewDecoder(resp.Body).Decode(&onix)
		}
		resp.Body.Close()
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		n += len(records) + len(onix.Orders) + len(onix.OrderLines)
	}
	return n
}

// sentRequests is the number of requests the sandbox received that could carry records: all but
// token requests, exists checks and Onix Work's status lists.
func sentRequests(sb *sandbox.Server) (n int) {
	for _, q := range sb.Requests() {
		p := strings.ToLower(strings.TrimSuffix(q.Path, "/"))
		if !strings.HasSuffix(p, "/existschecks") && p != "/v1/company/order-statuses" &&
			p != strings.ToLower(sandbox.TokenPath) && p != strings.ToLower(sandbox.OnixTokenPath) {
			n++
		}
	}
	return n
}

// loadFiles writes files into a new folder and loads job.yaml with env, then edits the job.
func loadFiles(t *testing.T, files, env map[string]string, edit func(*spec.Job)) (*spec.Job, string) {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	job, err := spec.Load(filepath.Join(dir, "job.yaml"), func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(job)
	}
	return job, filepath.Join(dir, "run")
}

// deadURL is an http:// URL on loopback where nothing listens.
func deadURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

// On a 200k-row job, a wrong token, an unreachable URL, a host name that does not resolve, a
// wrong On Key tenant or connection and a wrong Onix Work password each end the run within 5 s, before any row
// is read, with an abort (exit 3) that names the cause; the target receives nothing but the
// check and holds nothing new.
func TestFailFastBeforeReading(t *testing.T) {
	cfg := sandbox.DefaultConfig()
	sb, err := sandbox.Start(cfg, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	held := sandboxHolds(t, sb)
	onKey, onKeyEnv := rowsJob(sitesJob, cfg, 200_000, 100, 4, "PerRecord", plainDesc, nil)
	onix, onixEnv := ordersFiles(onixOrdersJob, cfg, 200_000, 1, func(int) bool { return false })
	dead := deadURL(t)
	tests := []struct {
		name      string
		files     map[string]string
		env       map[string]string
		edit      func(*spec.Job)
		want      []string
		sentToken bool // whether the credentials reached the sandbox
	}{
		{name: "On Key wrong token", files: onKey, env: map[string]string{"SANDBOX_TOKEN": "not-a-sandbox-token"},
			want: []string{"refused the credentials (HTTP 401)"}},
		{name: "On Key unreachable URL", files: onKey, edit: func(j *spec.Job) { j.Target.URL = dead },
			want: []string{"cannot be reached", "connection refused (nothing listens at " + strings.TrimPrefix(dead, "http://") + ")"}},
		{name: "On Key host name that does not resolve", files: onKey, edit: func(j *spec.Job) { j.Target.URL = "https://bulkload-nowhere.invalid" },
			want: []string{"cannot be reached", "bulkload-nowhere.invalid"}},
		{name: "On Key wrong tenant", files: onKey, edit: func(j *spec.Job) { j.Target.Tenant = "elsewhere" },
			want: []string{"HTTP 404", `tenant "elsewhere"`, "No tenant elsewhere/main here"}},
		{name: "On Key wrong connection", files: onKey, edit: func(j *spec.Job) { j.Target.Connection = "test" },
			want: []string{"HTTP 404", `connection "test"`, "No tenant demo/test here"}},
		{name: "Onix Work wrong password", files: onix, env: map[string]string{"P": "wrong"},
			want: []string{"no token", "refused the credentials: HTTP 400"}},
		{name: "Onix Work unreachable URL", files: onix, edit: func(j *spec.Job) { j.Target.URL = dead },
			want: []string{"cannot be reached", "connection refused"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{"SANDBOX_URL": sb.URL()}
			base := onKeyEnv
			if tc.files["job.yaml"] == onixOrdersJob {
				base = onixEnv
			}
			for k, v := range base {
				env[k] = v
			}
			for k, v := range tc.env {
				env[k] = v
			}
			job, dir := loadFiles(t, tc.files, env, tc.edit)
			before := sentRequests(sb)
			start := time.Now()
			out, err := pipeline.Run(context.Background(), job, pipeline.RunOptions{Options: pipeline.Options{RunDir: dir},
				Getenv: func(k string) string { return env[k] }})
			took := time.Since(start)
			var abort *pipeline.AbortError
			if !errors.As(err, &abort) || out != nil {
				t.Fatalf("run: %v (outcome %v); want an abort before reading", err, out)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("message %q does not say %q", err, w)
				}
			}
			if !strings.Contains(err.Error(), "nothing was read or sent") {
				t.Errorf("message %q does not say that nothing was read or sent", err)
			}
			if strings.Contains(tc.name, "unreachable") && strings.Contains(err.Error(), "credentials") {
				t.Errorf("an unreachable target is blamed on the credentials: %q", err)
			}
			if took > 5*time.Second {
				t.Errorf("the run took %v to stop, want at most 5s", took)
			}
			if n := sentRequests(sb) - before; n != 0 {
				t.Errorf("the sandbox received %d requests besides the check", n)
			}
			if n := sandboxHolds(t, sb); n != held {
				t.Errorf("the sandbox holds %d records, want %d as before", n, held)
			}
			if _, err := os.Stat(filepath.Join(dir, runstore.FileName)); err == nil {
				t.Errorf("a run store was written: rows were read")
			}
		})
	}
}

// A resume against a target that cannot be reached stops at once, before reading anything,
// naming the connection refused, not the credentials.
func TestResumeFailsFastWhenUnreachable(t *testing.T) {
	cfg := sandbox.DefaultConfig()
	files, env := rowsJob(sitesJob, cfg, 2000, 50, 2, "PerRecord", plainDesc, func(i int) bool { return i > 100 })
	files["job.yaml"] = strings.Replace(files["job.yaml"], "retries: 12", "retries: 12, max_errors: 20, breaker: false", 1)
	r := runOnSandbox(t, cfg, files, env)
	var abort *pipeline.AbortError
	if !errors.As(r.err, &abort) || r.out.Summary.Count(record.Pending) == 0 {
		t.Fatalf("first run: %v; want it stopped by max_errors with records pending", r.err)
	}
	job, getenv := recordedJob(t, r)
	job.Target.URL = deadURL(t)
	start := time.Now()
	_, err := pipeline.Resume(context.Background(), job, r.dir, pipeline.ResumeOptions{RunOptions: pipeline.RunOptions{Getenv: getenv}})
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("the resume took %v to stop, want at most 5s", took)
	}
	if !errors.As(err, &abort) || !strings.Contains(err.Error(), "connection refused") || strings.Contains(err.Error(), "credentials") {
		t.Errorf("resume against a dead URL: %v; want an abort naming the connection refused", err)
	}
}
