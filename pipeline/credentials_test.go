package pipeline_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/bulkload/bulkload/pipeline"
	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/sandbox"
	"github.com/bulkload/bulkload/spec"
)

// A target or token URL with http:// to a host that is not this machine is refused before
// anything is read or sent (a SetupError: exit 2), with a token and without; Insecure lets it
// through to the check of the target (here a host name that does not resolve).
func TestPlainHTTPRefusedUnlessInsecure(t *testing.T) {
	cfg := sandbox.DefaultConfig()
	files, env := rowsJob(sitesJob, cfg, 10, 5, 2, "PerRecord", plainDesc, nil)
	tests := []struct {
		name string
		edit func(*spec.Job)
		what string
	}{
		{name: "target with a token", what: "target.url http://bulkload-nowhere.invalid",
			edit: func(j *spec.Job) { j.Target.URL = "http://bulkload-nowhere.invalid" }},
		{name: "target without a token", what: "target.url http://bulkload-nowhere.invalid:8080",
			edit: func(j *spec.Job) {
				j.Target.URL, j.Target.Auth = "http://bulkload-nowhere.invalid:8080", spec.Auth{Kind: "none"}
			}},
		{name: "token URL", what: "target.auth.token_url http://login.bulkload-nowhere.invalid/token",
			edit: func(j *spec.Job) {
				j.Target.URL = "https://bulkload-nowhere.invalid"
				j.Target.Auth = spec.Auth{Kind: "client_credentials", TokenURL: "http://login.bulkload-nowhere.invalid/token",
					ClientIDEnv: "SANDBOX_TOKEN", ClientSecretEnv: "SANDBOX_TOKEN"}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env["SANDBOX_URL"] = "http://127.0.0.1:1"
			job, dir := loadFiles(t, files, env, tc.edit)
			ro := pipeline.RunOptions{Options: pipeline.Options{RunDir: dir}, Getenv: func(k string) string { return env[k] }}
			_, err := pipeline.Run(context.Background(), job, ro)
			var setup *pipeline.SetupError
			if !errors.As(err, &setup) || !strings.HasPrefix(err.Error(), tc.what+": plain http://") || !strings.Contains(err.Error(), "--insecure") {
				t.Fatalf("run: %v; want a setup error naming %s and --insecure", err, tc.what)
			}
			ro.Insecure = true
			_, err = pipeline.Run(context.Background(), job, ro)
			var abort *pipeline.AbortError
			if !errors.As(err, &abort) || !strings.Contains(err.Error(), "bulkload-nowhere.invalid does not resolve") {
				t.Errorf("with Insecure: %v; want the check of the target to find the host name unknown", err)
			}
		})
	}
}

// redirecting serves the sandbox sb, except that calls whose path ends with one of paths are
// answered 307 to the same path on other.
func redirecting(sb *sandbox.Server, other string, paths ...string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, p := range paths {
			if strings.HasSuffix(strings.ToLower(r.URL.Path), p) {
				http.Redirect(w, r, other+r.URL.RequestURI(), http.StatusTemporaryRedirect)
				return
			}
		}
		sb.ServeHTTP(w, r)
	})
}

// A redirect answer to an On Key import, an Onix Work call or the Onix Work token request is an
// error naming its Location; the server it points to (a second loopback server) receives
// nothing, and the records not sent stay pending.
func TestRedirectsNotFollowed(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { elsewhere.Add(1) }))
	defer other.Close()
	cfg := sandbox.DefaultConfig()
	onKey, onKeyEnv := rowsJob(sitesJob, cfg, 50, 10, 2, "PerRecord", plainDesc, nil)
	onix, onixEnv := ordersFiles(onixOrdersJob, cfg, 20, 2, func(int) bool { return false })
	tests := []struct {
		name    string
		files   map[string]string
		env     map[string]string
		path    string
		pending int // records left pending; -1: none read (refused by the check before reading)
	}{
		{name: "On Key import", files: onKey, env: onKeyEnv, path: "/modules/system/imports", pending: 150},
		{name: "Onix Work order", files: onix, env: onixEnv, path: "/v1/orders", pending: 60},
		{name: "Onix Work token", files: onix, env: onixEnv, path: "/v1/account/token", pending: -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sb, err := sandbox.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			front := httptest.NewServer(redirecting(sb, other.URL, tc.path))
			defer front.Close()
			tc.env["SANDBOX_URL"] = front.URL
			job, dir := loadFiles(t, tc.files, tc.env, nil)
			out, err := pipeline.Run(context.Background(), job, pipeline.RunOptions{Options: pipeline.Options{RunDir: dir},
				Getenv: func(k string) string { return tc.env[k] }})
			var abort *pipeline.AbortError
			if !errors.As(err, &abort) || !strings.Contains(err.Error(), "HTTP 307") ||
				!strings.Contains(err.Error(), other.URL+"/") || !strings.Contains(err.Error(), "not followed") {
				t.Fatalf("run: %v; want an abort naming the redirect's Location", err)
			}
			switch {
			case tc.pending < 0 && out != nil:
				t.Errorf("rows were read: %+v", out.Summary)
			case tc.pending >= 0 && (out == nil || out.Summary.Count(record.Pending) != tc.pending):
				t.Errorf("outcome %+v; want %d records pending", out, tc.pending)
			}
			if n := elsewhere.Load(); n != 0 {
				t.Errorf("the redirect's target received %d requests, want none", n)
			}
		})
	}
}
