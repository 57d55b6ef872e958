package main

import (
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// After a SIGKILL while sending, the run store is damaged as a crash, a careless copy or a
// careless clean-up would: the resume either refuses before sending anything, naming the damage
// (exit 3), or finishes with every record stored exactly once and in the report. It never exits
// 0 with records missing. Losing the write-ahead log, whole or with run.db copied alone, is
// always refused.
func TestResumeAfterDamagedStore(t *testing.T) {
	if testing.Short() {
		t.Skip("processes over 3000 records: not in -short")
	}
	const rows = 3000
	for _, tc := range []struct {
		name       string
		damage     func(t *testing.T, runDir string) string // returns the directory to resume
		mustRefuse bool
		says       string
	}{
		{"wal deleted", func(t *testing.T, runDir string) string {
			// Refused when a mark is lost with the log (nearly always: marks are frequent); a log
			// lost just after SQLite moved it into run.db loses no mark, and the resume settles
			// the answers it lost with exists checks.
			removeOrFail(t, filepath.Join(runDir, "run.db-wal"))
			return runDir
		}, false, "its last transactions are lost (was run.db-wal deleted"},
		{"wal cut to half", func(t *testing.T, runDir string) string {
			fi, err := os.Stat(filepath.Join(runDir, "run.db-wal"))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.Truncate(filepath.Join(runDir, "run.db-wal"), fi.Size()/2); err != nil {
				t.Fatal(err)
			}
			return runDir
		}, false, "its last transactions are lost"},
		{"wal cut to its first two frames", func(t *testing.T, runDir string) string {
			// SQLite's frames: a 24-byte header and a page (4 KiB here) each, after the log's
			// 32-byte header. The marks written since sending began are in the frames cut off.
			if err := os.Truncate(filepath.Join(runDir, "run.db-wal"), 32+2*(24+4096)); err != nil {
				t.Fatal(err)
			}
			return runDir
		}, true, "its last transactions are lost"},
		{"run.db copied alone", func(t *testing.T, runDir string) string {
			other := filepath.Join(filepath.Dir(runDir), "copy")
			if err := os.Mkdir(other, 0o755); err != nil {
				t.Fatal(err)
			}
			copyFile(t, filepath.Join(runDir, "run.db"), filepath.Join(other, "run.db"))
			return other
		}, true, "run.db-wal, which holds what the run recorded since, and run.db-marks, which says how much that was, are missing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sb := slowSandbox(t, 30*time.Millisecond)
			dir := writeKillJob(t, rows)
			runDir := filepath.Join(dir, "run")
			killWhileSending(t, sb, dir, runDir, 8)
			if _, err := os.Stat(filepath.Join(runDir, "run.db-wal")); err != nil {
				t.Fatalf("no write-ahead log after the kill: %v", err)
			}
			resumeDir := tc.damage(t, runDir)
			before := len(sb.Requests())
			got := runBulkload(t, sb, "run", "--resume", resumeDir, "--quiet")
			sent := len(sb.Requests()) - before
			refused := got.code == exitAborted && strings.Contains(got.stderr, "cannot be trusted")
			switch {
			case refused:
				if !strings.Contains(got.stderr, filepath.Join(resumeDir, "run.db")) || !strings.Contains(got.stderr, tc.says) ||
					!strings.Contains(got.stderr, "restore the whole run directory") {
					t.Errorf("the refusal says:\n%s\nwant it to name the file, %q, and what to do", got.stderr, tc.says)
				}
				if sent != 0 {
					t.Errorf("%d requests reached the sandbox before the refusal", sent)
				}
			case tc.mustRefuse:
				t.Fatalf("exit %d, want the store refused (exit 3)\n%s", got.code, got.stderr)
			case got.code == exitOK:
				if n := heldOnce(t, sb); n != rows {
					t.Errorf("exit 0, but the sandbox holds %d SiteTypes, want %d", n, rows)
				}
				if st := reportStatuses(t, resumeDir); st["succeeded"] != rows {
					t.Errorf("exit 0, but the report says %v, want %d succeeded", st, rows)
				}
			default:
				t.Fatalf("exit %d: neither refused nor finished\n%s", got.code, got.stderr)
			}
			t.Logf("exit %d after %d requests; %s", got.code, sent, firstLine(got.stderr))
		})
	}
}

// A run store with 8 KiB overwritten in its middle is refused (exit 3, naming SQLite's finding)
// before any request leaves.
func TestResumeRefusesOverwrittenStore(t *testing.T) {
	if testing.Short() {
		t.Skip("processes over 3000 records: not in -short")
	}
	sb := slowSandbox(t, 30*time.Millisecond)
	dir := writeKillJob(t, 3000)
	runDir := filepath.Join(dir, "run")
	// Interrupted once, the run closes its store cleanly: run.db alone holds everything.
	cmd, stderr := startBulkload(t, sb, "run", "--out", runDir, "--quiet", filepath.Join(dir, "job.yaml"))
	waitFor(t, "the run to send", func() bool { return imports(sb) >= 8 })
	_ = cmd.Process.Signal(syscall.SIGINT)
	_ = cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != exitInterrupted {
		t.Fatalf("the interrupted run: exit %d\n%s", code, stderr)
	}
	path := filepath.Join(runDir, "run.db")
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	junk := make([]byte, 8<<10)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range junk {
		junk[i] = byte(rng.UintN(256))
	}
	if _, err := f.WriteAt(junk, fi.Size()/2); err != nil {
		t.Fatal(err)
	}
	f.Close()

	before := len(sb.Requests())
	got := runBulkload(t, sb, "run", "--resume", runDir, "--quiet")
	if sent := len(sb.Requests()) - before; sent != 0 {
		t.Errorf("%d requests reached the sandbox", sent)
	}
	if got.code != exitAborted || !strings.Contains(got.stderr, "run store "+path+" cannot be trusted: SQLite finds it damaged") {
		t.Errorf("exit %d, says:\n%s\nwant exit 3 naming %s and SQLite's finding", got.code, got.stderr, path)
	}
}

// A run directory deleted, or replaced by a copy, while the run sends: the run notices, stops
// (exit 3) and says so, and writes no report into the directory now at that path.
func TestRunDirLostWhileSending(t *testing.T) {
	if testing.Short() {
		t.Skip("processes over 3000 records: not in -short")
	}
	for _, tc := range []struct {
		name string
		lose func(t *testing.T, runDir string)
		says string
	}{
		{"deleted", func(t *testing.T, runDir string) {
			if err := os.RemoveAll(runDir); err != nil {
				t.Fatal(err)
			}
		}, "was deleted or moved while the run was going on"},
		{"replaced by a copy", func(t *testing.T, runDir string) {
			if err := os.Rename(runDir, runDir+".old"); err != nil {
				t.Fatal(err)
			}
			if err := os.Mkdir(runDir, 0o755); err != nil {
				t.Fatal(err)
			}
			copyFile(t, filepath.Join(runDir+".old", "run.lock"), filepath.Join(runDir, "run.lock"))
		}, "was replaced by another directory while the run was going on"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sb := slowSandbox(t, 30*time.Millisecond)
			dir := writeKillJob(t, 3000)
			runDir := filepath.Join(dir, "run")
			start := time.Now()
			cmd, stderr := startBulkload(t, sb, "run", "--out", runDir, "--quiet", filepath.Join(dir, "job.yaml"))
			waitFor(t, "the run to send", func() bool { return imports(sb) >= 3 })
			tc.lose(t, runDir)
			lost := time.Now()
			_ = cmd.Wait()
			if code := cmd.ProcessState.ExitCode(); code != exitAborted || !strings.Contains(stderr.String(), tc.says) {
				t.Errorf("exit %d, says:\n%s\nwant exit 3 and %q", code, stderr, tc.says)
			}
			if took := time.Since(lost); took > 5*time.Second {
				t.Errorf("the run went on for %s after its directory was lost", took)
			}
			if _, err := os.Stat(filepath.Join(runDir, "report.csv")); !os.IsNotExist(err) {
				t.Errorf("a report was written into the directory now at %s (%v)", runDir, err)
			}
			t.Logf("stopped %s after the loss (%s in all); %d imports reached the sandbox", time.Since(lost), time.Since(start), imports(sb))
		})
	}
}

func removeOrFail(t *testing.T, path string) {
	t.Helper()
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
