package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/bulkload/bulkload/rundir"
	"github.com/bulkload/bulkload/runstore"
)

// latestRun returns the run directory the job's latest link in base points at.
func latestRun(t *testing.T, base string) string {
	t.Helper()
	name, err := os.Readlink(filepath.Join(base, "types-latest"))
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(base, name)
}

// runLine returns the line of out that names the run directory dir.
func runLine(t *testing.T, out, dir string) string {
	t.Helper()
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, " "+filepath.Base(dir)+" ") {
			return l
		}
	}
	t.Fatalf("no line for %s in\n%s", filepath.Base(dir), out)
	return ""
}

// `bulkload runs` and `runs prune` on a runs folder made by real processes: dry runs (the oldest
// held by a lock), a finished run, a run killed while sending, and a run still sending in a
// process of its own. The listing shows each one's mode, state and counts, the sending one as
// running with its pid, and marks the killed one for --resume; prune deletes the older dry runs
// no one holds and nothing else; and the run that was sending meanwhile ends undisturbed.
func TestRunsCommand(t *testing.T) {
	dir := writeKillJob(t, 1000)
	job := filepath.Join(dir, "job.yaml")
	base := filepath.Join(dir, "runs")
	var dry []string
	validate := func() {
		if f := runBulkload(t, slowSandbox(t, 0), "validate", "--quiet", job); f.code != exitOK {
			t.Fatalf("validate: exit %d\n%s", f.code, f.stderr)
		}
		dry = append(dry, latestRun(t, base))
	}
	validate()
	validate()
	validate()
	if f := runBulkload(t, slowSandbox(t, 0), "run", "--quiet", job); f.code != exitOK {
		t.Fatalf("run: exit %d\n%s", f.code, f.stderr)
	}
	finished := latestRun(t, base)
	sb := slowSandbox(t, 20*time.Millisecond)
	cmd, stderr := startBulkload(t, sb, "run", "--quiet", job)
	waitFor(t, "the run to send", func() bool { return imports(sb) >= 2 })
	_ = cmd.Process.Signal(syscall.SIGKILL)
	_ = cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
		t.Fatalf("the run ended before it was killed: exit %d\n%s", cmd.ProcessState.ExitCode(), stderr)
	}
	killed := latestRun(t, base)
	validate()
	held, err := rundir.Hold(dry[0], "bulkload validate job.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer held.Release()
	slow := slowSandbox(t, 150*time.Millisecond)
	sending, sendingErr := startBulkload(t, slow, "run", "--quiet", job)
	waitFor(t, "the last run to send", func() bool { return imports(slow) >= 1 })
	running := latestRun(t, base)
	defer sending.Process.Kill()

	code, out, errOut := runCLI(t, "runs", job)
	if code != exitOK {
		t.Fatalf("runs: exit %d\n%s", code, errOut)
	}
	for _, c := range []struct {
		dir  string
		want []string
	}{
		{dry[0], []string{"  dry-run  running (pid " + fmt.Sprint(os.Getpid()) + ")", "1000: 1000 valid"}},
		{dry[1], []string{"  dry-run  finished  ", "1000: 1000 valid"}},
		{finished, []string{"  run      finished  ", "1000: 1000 succeeded"}},
		{killed, []string{"* ", "  run      interrupted  ", " pending"}},
		{running, []string{"  run      running (pid " + fmt.Sprint(sending.Process.Pid) + ")"}},
	} {
		l := runLine(t, out, c.dir)
		for _, w := range c.want {
			if !strings.Contains(l, w) {
				t.Errorf("the line of %s lacks %q:\n%s", filepath.Base(c.dir), w, l)
			}
		}
	}
	if want := "* to finish it: bulkload run --resume " + killed + "\n"; !strings.HasSuffix(out, want) {
		t.Errorf("runs ends %q, want %q", out[strings.LastIndex(strings.TrimSuffix(out, "\n"), "\n")+1:], want)
	}
	if strings.Index(out, filepath.Base(dry[0])) > strings.Index(out, filepath.Base(running)) {
		t.Errorf("runs lists the newest first:\n%s", out)
	}

	code, out, _ = runCLI(t, "runs", "--json", base)
	var listed struct{ Runs []rundir.Entry }
	if err := json.Unmarshal([]byte(out), &listed); code != exitOK || err != nil || len(listed.Runs) != 7 {
		t.Fatalf("runs --json: exit %d, %v, %d runs; want 7\n%s", code, err, len(listed.Runs), out)
	}
	if r := listed.Runs[4]; r.Dir != killed || !r.Resume || r.State != rundir.StateInterrupted || r.Records["pending"] == 0 {
		t.Errorf("runs --json, the killed run: %+v", r)
	}
	if r := listed.Runs[6]; r.Dir != running || r.State != rundir.StateRunning || r.Holder == nil || r.Holder.PID != sending.Process.Pid {
		t.Errorf("runs --json, the running run: %+v", r)
	}
	if code, out, _ = runCLI(t, "runs", "--latest", job); code != exitOK || out != running+"\n" {
		t.Errorf("runs --latest: exit %d, %q; want %s", code, out, running)
	}

	code, out, errOut = runCLI(t, "runs", "prune", "--keep", "1", job)
	if code != exitOK {
		t.Fatalf("runs prune: exit %d\n%s", code, errOut)
	}
	for _, w := range []string{"deleted " + dry[1] + " (dry run, finished, ", "deleted " + dry[2] + " (dry run, finished, ",
		"kept " + dry[0] + ": in use: running (pid " + fmt.Sprint(os.Getpid()) + ")\n", "freed "} {
		if !strings.Contains(out, w) {
			t.Errorf("runs prune lacks %q:\n%s", w, out)
		}
	}
	for _, d := range []string{dry[0], dry[3], finished, killed, running} {
		if _, err := os.Stat(filepath.Join(d, runstore.FileName)); err != nil {
			t.Errorf("prune deleted what it must keep: %v", err)
		}
	}
	for _, d := range dry[1:3] {
		if _, err := os.Stat(d); !os.IsNotExist(err) {
			t.Errorf("prune left %s: %v", d, err)
		}
	}
	if err := sending.Wait(); err != nil {
		t.Fatalf("the run listed and pruned around: %v\n%s", err, sendingErr)
	}
	if got := reportStatuses(t, running); got["succeeded"] != 1000 {
		t.Errorf("the run listed and pruned around reports %v, want 1000 succeeded", got)
	}
}
