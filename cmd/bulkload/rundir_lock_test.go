package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A run killed while sending is resumed by two processes started together: one holds the run
// directory, the other refuses at once (exit 2), naming the holder's pid and command; the first
// finishes, and the sandbox holds every record once.
func TestConcurrentResumesOneRefuses(t *testing.T) {
	if testing.Short() {
		t.Skip("three processes over 3000 records: not in -short")
	}
	const rows = 3000
	sb := slowSandbox(t, 30*time.Millisecond)
	dir := writeKillJob(t, rows)
	runDir := filepath.Join(dir, "run")
	killWhileSending(t, sb, dir, runDir, 5)

	results := make(chan finished, 2)
	for range 2 {
		go func() { results <- runBulkload(t, sb, "run", "--resume", runDir, "--quiet") }()
	}
	a, b := <-results, <-results
	if a.code == exitUsage {
		a, b = b, a // a: the one that ran; b: the one refused
	}
	if a.code != exitOK || b.code != exitUsage {
		t.Fatalf("exit codes %d and %d, want 0 and 2\n%s\n%s", a.code, b.code, a.stderr, b.stderr)
	}
	wantHolder := fmt.Sprintf("pid %d", a.pid)
	if !strings.Contains(b.stderr, "is in use by another bulkload process") || !strings.Contains(b.stderr, wantHolder) ||
		!strings.Contains(b.stderr, "run --resume "+runDir) {
		t.Errorf("the refused resume says:\n%s\nwant it to name the holder (%s, its command)", b.stderr, wantHolder)
	}
	if b.took > 5*time.Second || b.took >= a.took {
		t.Errorf("the refused resume took %s (the other %s): it must refuse at once", b.took, a.took)
	}
	if n := heldOnce(t, sb); n != rows {
		t.Errorf("the sandbox holds %d SiteTypes, want %d", n, rows)
	}
	if st := reportStatuses(t, runDir); st["succeeded"] != rows {
		t.Errorf("report statuses %v, want %d succeeded", st, rows)
	}
}

// `run --out DIR`, `validate --out DIR` and `reconcile DIR` on a run directory another run is
// sending from each refuse at once (exit 2), naming it; the first run finishes alone.
func TestRunOutOnDirectoryInUse(t *testing.T) {
	if testing.Short() {
		t.Skip("two processes over 3000 records: not in -short")
	}
	const rows = 3000
	sb := slowSandbox(t, 30*time.Millisecond)
	dir := writeKillJob(t, rows)
	runDir := filepath.Join(dir, "run")
	job := filepath.Join(dir, "job.yaml")

	first, stderr := startBulkload(t, sb, "run", "--out", runDir, "--quiet", job)
	waitFor(t, "the first run to send", func() bool { return imports(sb) >= 3 })
	others := map[string]finished{}
	for _, args := range [][]string{{"run", "--out", runDir, "--quiet", job}, {"validate", "--out", runDir, "--quiet", job},
		{"reconcile", "--quiet", runDir}} {
		others[args[0]] = runBulkload(t, sb, args...)
	}
	sentMeanwhile := imports(sb)
	_ = first.Wait()
	if code := first.ProcessState.ExitCode(); code != exitOK {
		t.Fatalf("the first run: exit %d\n%s", code, stderr)
	}
	for name, other := range others {
		if other.code != exitUsage || !strings.Contains(other.stderr, fmt.Sprintf("pid %d", first.Process.Pid)) ||
			!strings.Contains(other.stderr, "nothing was read or sent") {
			t.Errorf("%s meanwhile: exit %d, says:\n%s\nwant exit 2 naming pid %d", name, other.code, other.stderr, first.Process.Pid)
		}
	}
	if sentMeanwhile >= rows/50 {
		t.Errorf("the first run had sent all %d imports before the others refused: the test proves nothing", sentMeanwhile)
	}
	if n := heldOnce(t, sb); n != rows {
		t.Errorf("the sandbox holds %d SiteTypes, want %d", n, rows)
	}
}

// `--out` refuses a folder holding the user's own files, whatever their names, and changes
// nothing in it; an empty folder or a run directory is used.
func TestOutRefusesUserFolder(t *testing.T) {
	sb := slowSandbox(t, 0)
	dir := writeKillJob(t, 20)
	job := filepath.Join(dir, "job.yaml")
	for _, tc := range []struct {
		name  string
		files map[string]string
		cmd   string
		says  string // "" when the folder is used
	}{
		{"user's report.csv", map[string]string{"report.csv": "mine,1\n", "notes.txt": "keep\n"}, "validate",
			"it holds report.csv, which a run would replace"},
		{"user's other files", map[string]string{"budget.xlsx": "x", "a.txt": "y"}, "validate", "it holds 2 entries"},
		{"run into user's folder", map[string]string{"report.csv": "mine,1\n"}, "run", "neither empty nor a bulkload run directory"},
		{"empty folder", map[string]string{}, "validate", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			if err := os.Mkdir(out, 0o755); err != nil {
				t.Fatal(err)
			}
			for name, content := range tc.files {
				if err := os.WriteFile(filepath.Join(out, name), []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			before := snapshot(t, out)
			args := []string{tc.cmd, "--out", out, "--quiet", job}
			got := runBulkload(t, sb, args...)
			if tc.says == "" {
				if got.code != exitOK {
					t.Fatalf("exit %d\n%s", got.code, got.stderr)
				}
				if _, err := os.Stat(filepath.Join(out, "report.csv")); err != nil {
					t.Errorf("the empty folder got no report: %v", err)
				}
				// Now a run directory: it is used again.
				if again := runBulkload(t, sb, args...); again.code != exitOK {
					t.Errorf("again in the run directory: exit %d\n%s", again.code, again.stderr)
				}
				return
			}
			code, stderr := got.code, got.stderr
			if code != exitUsage || !strings.Contains(stderr, tc.says) || !strings.Contains(stderr, "nothing was changed in it") {
				t.Errorf("exit %d, says:\n%s\nwant exit 2 and %q", code, stderr, tc.says)
			}
			if after := snapshot(t, out); after != before {
				t.Errorf("the folder changed:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
}

// snapshot lists a folder's entries with their sizes, times and contents.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, e := range entries {
		fi, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		fmt.Fprintf(&b, "%s %d %s %q; ", e.Name(), fi.Size(), fi.ModTime().Format(time.RFC3339Nano), data)
	}
	return b.String()
}
