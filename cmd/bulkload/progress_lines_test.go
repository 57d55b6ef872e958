package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Without a terminal, a validate that takes longer than --progress-interval writes plain
// progress lines to stderr, one an interval, each naming the phase, the counts, the rate and
// the time: a CI log of a long run is not silent. Stdout holds the summary alone.
func TestPlainProgressLines(t *testing.T) {
	if testing.Short() {
		t.Skip("validates 100,000 rows")
	}
	dir := writeKillJob(t, 100000)
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(os.Args[0], "validate", "--progress-interval", "50ms", "--out", filepath.Join(dir, "run"), filepath.Join(dir, "job.yaml"))
	cmd.Env = append(os.Environ(), asMainEnv+"=1", "SANDBOX_URL=http://127.0.0.1:1", "SANDBOX_TOKEN=unused")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("validate: %v\n%s", err, stderr.String())
	}
	line := regexp.MustCompile(`^bulkload: progress: (validating types|checking keys and parents across rows|writing reports): ` +
		`[\d,]+(/~?[\d,]+)? rows( \(\d+%\))?, [\d,]+ rows/s, \d+s elapsed(, ETA (\d+s|\d+m\d\ds|\d+h\d\dm))?$`)
	lines := strings.Split(strings.TrimSuffix(stderr.String(), "\n"), "\n")
	if len(lines) < 2 {
		t.Fatalf("%d progress lines in a run of %s at 50 ms: %q", len(lines), stdout.String(), stderr.String())
	}
	estimated := false
	for _, l := range lines {
		if !line.MatchString(l) {
			t.Errorf("not a progress line: %q", l)
		}
		estimated = estimated || strings.Contains(l, "/~")
	}
	if !estimated {
		t.Errorf("no line of reading shows a total estimated from the bytes read: %q", lines)
	}
	if !strings.HasPrefix(stdout.String(), "types: dry run, 100000 rows") {
		t.Errorf("stdout is not the summary: %q", stdout.String())
	}
}

// failingJob is killJob whose records name a permission tree by a code that some rows get
// wrong (ZZZ): the sandbox refuses those records.
const failingJob = `version: 1
name: types
target: {kind: onkey, url: "http://127.0.0.1:1", tenant: demo, connection: main, auth: {kind: bearer, token_env: SANDBOX_TOKEN}}
submit: {batch_size: 50, concurrency: 4, mode: PerRecord, retries: 12}
sources:
  - {name: rows, file: rows.csv, schema: row.schema.json}
entities:
  - name: site_type
    source: rows
    entityType: SiteType
    action: Create
    userObjectId: '"T" + row.id'
    properties: {code: '"T" + row.id', description: '"Type " + row.id', permissionTreeId: code(row.tree)}
`

// --progress=json writes JSON lines to stderr: one as each phase starts (event "phase") and ends
// ("end"), and "tick" lines between; every line has the documented fields, the phases come in
// order, and the failed count of the last line of sending is the summary's.
func TestJSONProgressLines(t *testing.T) {
	dir := t.TempDir()
	var rows strings.Builder
	rows.WriteString("id,tree\n")
	for i := 1; i <= 3000; i++ {
		tree := "A20"
		if i%100 == 0 {
			tree = "ZZZ"
		}
		fmt.Fprintf(&rows, "%05d,%s\n", i, tree)
	}
	for name, content := range map[string]string{"job.yaml": failingJob, "rows.csv": rows.String(),
		"row.schema.json": `{"type": "object", "properties": {"id": {"type": "string"}, "tree": {"type": "string"}}}`} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(os.Args[0], "run", "--sandbox", "--json", "--progress=json", "--progress-interval", "50ms",
		"--out", filepath.Join(dir, "run"), filepath.Join(dir, "job.yaml"))
	cmd.Env = append(os.Environ(), asMainEnv+"=1")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if code := cmd.ProcessState.ExitCode(); code != exitSomeFailed {
		t.Fatalf("run: %v (exit %d), want exit %d\n%s", err, code, exitSomeFailed, stderr.String())
	}
	var sum struct {
		Records map[string]int `json:"records"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &sum); err != nil {
		t.Fatalf("stdout is not summary.json: %v\n%s", err, stdout.String())
	}
	var phases []string
	var lastSending map[string]any
	sc := bufio.NewScanner(&stderr)
	for sc.Scan() {
		if !strings.HasPrefix(sc.Text(), "{") {
			continue // the sandbox's notice
		}
		var e map[string]any
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("not a JSON line: %q: %v", sc.Text(), err)
		}
		for _, f := range []string{"time", "event", "phase", "description", "unit", "done", "ratePerSecond", "elapsedSeconds"} {
			if _, ok := e[f]; !ok {
				t.Errorf("line without %q: %s", f, sc.Text())
			}
		}
		if e["event"] == "phase" {
			phases = append(phases, e["phase"].(string))
		}
		if e["phase"] == "sending" {
			lastSending = e
			if e["unit"] != "records" || e["total"] != float64(3000) {
				t.Errorf("a line of sending not towards 3000 records: %s", sc.Text())
			}
		}
	}
	want := []string{"reading", "checking keys and parents across rows", "sending", "writing reports"}
	if fmt.Sprint(phases) != fmt.Sprint(want) {
		t.Errorf("phases %q, want %q", phases, want)
	}
	if lastSending == nil || lastSending["event"] != "end" || lastSending["done"] != float64(3000) ||
		lastSending["failed"] != float64(sum.Records["failed"]) || sum.Records["failed"] != 30 {
		t.Errorf("the last line of sending is %v; the summary counts %v records (want 30 failed)", lastSending, sum.Records)
	}
}
