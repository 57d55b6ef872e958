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

// The token a run authenticates with appears nowhere in what the run prints or writes.
func TestRunDoesNotLeakTheToken(t *testing.T) {
	const token = "tok-Zq81-never-print-me"
	cfg := filepath.Join(t.TempDir(), "sandbox.yaml")
	if err := os.WriteFile(cfg, []byte("tokens: ["+token+"]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	code, stdout, stderr := runCLI(t, "run", "--sandbox", "--sandbox-config", cfg, "--out", dir, "../../samples/onkey-sites/job.yaml")
	if code != exitOK {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	for name, text := range map[string]string{"stdout": stdout, "stderr": stderr} {
		if strings.Contains(text, token) {
			t.Errorf("%s shows the token: %q", name, text)
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
		if strings.Contains(string(data), token) {
			t.Errorf("%s holds the token", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 4 {
		t.Errorf("the run directory has %d files; the check saw too little", files)
	}
}

func TestRunSandboxRefusals(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"config without --sandbox", []string{"run", "--sandbox-config", "x.yaml", "../../samples/onkey-sites/job.yaml"}, "--sandbox-config needs --sandbox"},
		{"Onix Work job", []string{"run", "--sandbox", "../../samples/orders-csv/job.yaml"}, "the sandbox emulates On Key only so far"},
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
