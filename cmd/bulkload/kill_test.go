package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/bulkload/bulkload/sandbox"
)

// killJob creates a SiteType per row: Creates are the calls a careless resume would duplicate.
const killJob = `version: 1
name: types
target: {kind: onkey, url: "${SANDBOX_URL}", tenant: demo, connection: main, auth: {kind: bearer, token_env: SANDBOX_TOKEN}}
submit: {batch_size: 50, concurrency: 4, mode: PerRecord, retries: 12}
sources:
  - {name: rows, file: rows.csv, schema: row.schema.json}
entities:
  - name: site_type
    source: rows
    entityType: SiteType
    action: Create
    userObjectId: '"T" + row.id'
    properties: {code: '"T" + row.id', description: '"Type " + row.id', permissionTreeId: code("A20")}
`

// A 20k-record run against a sandbox with faults (10% 500s, 5% 429s, 3% resets, 20 ms
// latency) is killed with SIGKILL at 20 random moments, while reading or sending, and resumed
// each time; then resumed until it ends. Every SiteType is stored exactly once, and the report
// agrees with the sandbox record by record.
func TestKilledRunsResume(t *testing.T) {
	if testing.Short() {
		t.Skip("21 processes over 20k records: not in -short")
	}
	const rows, kills = 20000, 20
	cfg := sandbox.DefaultConfig()
	cfg.Faults.Seed, cfg.Faults.Latency = 11, 20*time.Millisecond
	cfg.Faults.HTTP500Rate, cfg.Faults.HTTP429Rate, cfg.Faults.ResetRate = 0.10, 0.05, 0.03
	sb, err := sandbox.Start(cfg, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()

	dir := writeKillJob(t, rows)
	runDir := filepath.Join(dir, "run")
	bulkload := func(kill time.Duration, args ...string) (code int, killed bool) {
		cmd, stderr := startBulkload(t, sb, args...)
		var timer *time.Timer
		if kill > 0 {
			timer = time.AfterFunc(kill, func() { _ = cmd.Process.Signal(syscall.SIGKILL) })
		}
		err := cmd.Wait()
		if timer != nil {
			timer.Stop()
		}
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
			return -1, true
		}
		if code := cmd.ProcessState.ExitCode(); code != exitOK && code != exitSomeFailed {
			t.Fatalf("bulkload %s: exit %d (%v)\n%s", strings.Join(args, " "), code, err, stderr.String())
		}
		return cmd.ProcessState.ExitCode(), false
	}

	rng := rand.New(rand.NewPCG(5, 8))
	first := true
	landed := 0
	for range kills {
		args := []string{"run", "--resume", runDir, "--quiet"}
		if first {
			args = []string{"run", "--out", runDir, "--quiet", filepath.Join(dir, "job.yaml")}
		}
		if _, killed := bulkload(time.Duration(200+rng.IntN(1300))*time.Millisecond, args...); killed {
			landed++
		}
		if _, err := os.Stat(filepath.Join(runDir, "run.db")); err == nil {
			first = false // the run exists (evaluated or not): resume it from now on
		}
	}
	if landed < kills/2 {
		t.Errorf("only %d of %d kills landed before the process ended", landed, kills)
	}
	for attempt := 1; ; attempt++ {
		if code, _ := bulkload(0, "run", "--resume", runDir, "--quiet"); code == exitOK {
			break
		}
		if attempt == 10 {
			t.Fatal("the run does not end: still failed, unknown or pending records after 10 resumes")
		}
	}

	stored := map[string]int64{}
	for _, rec := range sb.Records("SiteType") {
		if rec.UserObjectID == "" {
			continue
		}
		if _, dup := stored[rec.UserObjectID]; dup {
			t.Errorf("%s was created twice", rec.UserObjectID)
		}
		stored[rec.UserObjectID] = rec.ID
	}
	if len(stored) != rows {
		t.Errorf("the sandbox stores %d SiteTypes, want %d", len(stored), rows)
	}
	data, err := os.ReadFile(filepath.Join(runDir, "report.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) != rows {
		t.Errorf("the report has %d lines, want %d", len(lines), rows)
	}
	bad := 0
	for _, line := range lines {
		var l struct{ UserObjectID, Status, ServerID string }
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			t.Fatal(err)
		}
		if id, ok := stored[l.UserObjectID]; l.Status != "succeeded" || !ok || l.ServerID != fmt.Sprint(id) {
			if bad++; bad <= 5 {
				t.Errorf("report: %s %s id %s; the sandbox has it: %v (id %d)", l.UserObjectID, l.Status, l.ServerID, ok, id)
			}
		}
	}
	t.Logf("%d kills landed; %d requests reached the sandbox", landed, len(sb.Requests()))
}

// writeKillJob writes killJob over rows rows into a new folder and returns it.
func writeKillJob(t *testing.T, rows int) string {
	t.Helper()
	dir := t.TempDir()
	var csv strings.Builder
	csv.WriteString("id\n")
	for i := 1; i <= rows; i++ {
		fmt.Fprintf(&csv, "%05d\n", i)
	}
	for name, content := range map[string]string{"job.yaml": killJob, "rows.csv": csv.String(),
		"row.schema.json": `{"type": "object", "properties": {"id": {"type": "string"}}}`} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// startBulkload starts bulkload args as a process of its own, sending to sb, and returns it with
// what it writes to stderr.
func startBulkload(t *testing.T, sb *sandbox.Server, args ...string) (*exec.Cmd, *strings.Builder) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), asMainEnv+"=1", "SANDBOX_URL="+sb.URL(), "SANDBOX_TOKEN="+sandbox.DefaultConfig().Tokens[0])
	stderr := &strings.Builder{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, stderr
}
