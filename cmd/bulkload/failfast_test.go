package main

import (
	"net"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/sandbox"
)

// The exit codes and messages a user sees when a run cannot succeed: a wrong token, a target
// that cannot be reached and a wrong tenant end in exit 3 naming the cause, having read nothing;
// plain http:// to another machine in exit 2 unless --insecure.
func TestRunFailsFastExitCodes(t *testing.T) {
	cfg := sandbox.DefaultConfig()
	sb, err := sandbox.Start(cfg, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + l.Addr().String()
	l.Close()
	tests := []struct {
		name   string
		env    map[string]string
		args   []string
		code   int
		stderr []string
	}{
		{name: "wrong token", env: map[string]string{"ONKEY_TOKEN": "wrong"}, args: []string{"--target", sb.URL()}, code: exitAborted,
			stderr: []string{"bulkload: aborted: checking the target before reading any row", "refused the credentials (HTTP 401)", "nothing was read or sent"}},
		{name: "unreachable", env: map[string]string{"ONKEY_TOKEN": cfg.Tokens[0]}, args: []string{"--target", dead}, code: exitAborted,
			stderr: []string{"connection refused (nothing listens at " + strings.TrimPrefix(dead, "http://") + ")"}},
		{name: "wrong tenant", env: map[string]string{"ONKEY_TOKEN": cfg.Tokens[0], "ONKEY_TENANT": "acme"}, args: []string{"--target", sb.URL()},
			code: exitAborted, stderr: []string{"HTTP 404", `tenant "acme"`}},
		{name: "plain http elsewhere", env: map[string]string{"ONKEY_TOKEN": "x"}, args: []string{"--target", "http://onkey.example.com"},
			code: exitUsage, stderr: []string{"target.url http://onkey.example.com: plain http://", "--insecure", "nothing was read or sent"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("ONKEY_TENANT", cfg.Tenant)
			t.Setenv("ONKEY_CONNECTION", cfg.Connection)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			args := append([]string{"run", "../../samples/onkey-sites/job.yaml", "--out", filepath.Join(t.TempDir(), "run"), "--no-progress"}, tc.args...)
			code, _, stderr := runCLI(t, args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d\nstderr: %s", code, tc.code, stderr)
			}
			for _, w := range tc.stderr {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr does not say %q:\n%s", w, stderr)
				}
			}
			if strings.Contains(stderr, "aborted: aborted") {
				t.Errorf("stderr says aborted twice:\n%s", stderr)
			}
		})
	}
	for _, q := range sb.Requests() {
		if strings.HasSuffix(q.Path, "/imports") {
			t.Errorf("an import reached the sandbox: %+v", q)
		}
	}
}
