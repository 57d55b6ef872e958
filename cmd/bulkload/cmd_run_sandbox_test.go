package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The README's first command: the onkey-sites sample sent to a built-in sandbox, every record
// stored, the report saying so with the server's ids.
func TestRunSandboxSample(t *testing.T) {
	dir := t.TempDir()
	code, stdout, stderr := runCLI(t, "run", "--sandbox", "../../samples/onkey-sites/job.yaml", "--out", dir, "--no-progress")
	if code != exitOK {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "sending to a built-in sandbox at http://127.0.0.1:") {
		t.Errorf("stderr does not say where the records went: %q", stderr)
	}
	if !strings.Contains(stdout, "records: 7 (7 succeeded") {
		t.Errorf("stdout: %q", stdout)
	}
	f, err := os.Open(filepath.Join(dir, "report.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	if len(rows) != 8 {
		t.Fatalf("report has %d records, want 7", len(rows)-1)
	}
	for _, r := range rows[1:] {
		if r[col["status"]] != "succeeded" || r[col["serverId"]] == "" || r[col["httpStatus"]] != "200" {
			t.Errorf("record %s: status %s, server id %q, HTTP %s", r[col["userObjectId"]], r[col["status"]], r[col["serverId"]], r[col["httpStatus"]])
		}
	}
}

// The secret a run authenticates with (On Key's token, Onix Work's password) appears nowhere in
// what the run prints or writes.
func TestRunDoesNotLeakSecrets(t *testing.T) {
	const secret = "Zq81-never-print-me"
	for _, tt := range []struct{ sample, config string }{
		{"onkey-sites", "tokens: [tok-" + secret + "]\n"},
		{"orders-csv", "onixwork: {users: {sandbox: pw-" + secret + "}}\n"},
	} {
		t.Run(tt.sample, func(t *testing.T) {
			cfg := filepath.Join(t.TempDir(), "sandbox.yaml")
			if err := os.WriteFile(cfg, []byte(tt.config), 0o600); err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			code, stdout, stderr := runCLI(t, "run", "--sandbox", "--sandbox-config", cfg, "--out", dir, "../../samples/"+tt.sample+"/job.yaml")
			if code > exitSomeFailed || !strings.Contains(stdout, "succeeded") {
				t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
			}
			for name, text := range map[string]string{"stdout": stdout, "stderr": stderr} {
				if strings.Contains(text, secret) {
					t.Errorf("%s shows the secret: %q", name, text)
				}
			}
			files := 0
			err := filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
				if err != nil || fi.IsDir() {
					return err
				}
				files++
				data, err := os.ReadFile(p)
				if err != nil {
					return err
				}
				if strings.Contains(string(data), secret) {
					t.Errorf("%s holds the secret", p)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if files < 4 {
				t.Errorf("the run directory has %d files; the check saw too little", files)
			}
		})
	}
}

// The orders-csv sample end to end against the sandbox's Onix Work: the valid orders and lines
// are stored, the invalid rows' records are never sent, the run exits 1.
func TestRunSandboxOrdersSample(t *testing.T) {
	dir := t.TempDir()
	code, stdout, stderr := runCLI(t, "run", "--sandbox", "../../samples/orders-csv/job.yaml", "--out", dir, "--no-progress")
	if code != exitSomeFailed {
		t.Fatalf("exit %d, want 1\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "records: 13 (6 succeeded, 0 failed, 3 invalid, 4 skipped, 0 unknown, 0 pending)") {
		t.Errorf("stdout: %q", stdout)
	}
}

func TestRunSandboxRefusals(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"config without --sandbox", []string{"run", "--sandbox-config", "x.yaml", "../../samples/onkey-sites/job.yaml"}, "--sandbox-config needs --sandbox"},
		{"missing config", []string{"run", "--sandbox", "--sandbox-config", "nope.yaml", "../../samples/onkey-sites/job.yaml"}, "nope.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.args...)
			if code != exitUsage || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr, exitUsage, tt.want)
			}
		})
	}
}
