package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/bulkload/bulkload/sandbox"
)

// A run whose disk fills up says which directory's disk is full, that nothing is lost, and the
// command that finishes the run (exit 3); after space is freed that command finishes it.
func TestRunDiskFullMessage(t *testing.T) {
	disk := t.TempDir()
	if err := syscall.Mount("tmpfs", disk, "tmpfs", 0, "size=512k"); err != nil {
		t.Skipf("cannot mount a tmpfs to fill (%v)", err)
	}
	t.Cleanup(func() { _ = syscall.Unmount(disk, 0) })
	cfg := sandbox.DefaultConfig()
	sb, err := sandbox.Start(cfg, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	src := t.TempDir()
	var rows strings.Builder
	rows.WriteString("id,desc\n")
	for i := 1; i <= 20_000; i++ {
		fmt.Fprintf(&rows, "%05d,Type %d with a description long enough to take room\n", i, i)
	}
	job := `version: 1
name: full
target: {kind: onkey, url: "` + sb.URL() + `", tenant: demo, connection: main, auth: {kind: bearer, token_env: FULL_TOKEN}}
sources:
  - {name: rows, file: rows.csv, schema: row.schema.json}
entities:
  - {name: t, source: rows, entityType: SiteType, action: Merge, id: 'code("T" + row.id)', userObjectId: '"T" + row.id',
     properties: {code: '"T" + row.id', description: row.desc, permissionTreeId: code("A20")}}
`
	for name, content := range map[string]string{"job.yaml": job, "rows.csv": rows.String(),
		"row.schema.json": `{"type": "object", "properties": {"id": {"type": "string"}, "desc": {"type": "string"}}}`} {
		if err := os.WriteFile(filepath.Join(src, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("FULL_TOKEN", cfg.Tokens[0])
	dir := filepath.Join(disk, "run")
	code, _, stderr := runCLI(t, "run", filepath.Join(src, "job.yaml"), "--out", dir, "--no-progress")
	if code != exitAborted {
		t.Fatalf("exit %d, want %d\nstderr: %s", code, exitAborted, stderr)
	}
	for _, w := range []string{"the disk that holds " + dir + " is full", "nothing is lost", "free some space, then finish with: bulkload run --resume " + dir} {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr does not say %q:\n%s", w, stderr)
		}
	}
	if err := syscall.Mount("tmpfs", disk, "tmpfs", syscall.MS_REMOUNT, "size=64m"); err != nil {
		t.Fatalf("making room: %v", err)
	}
	code, stdout, stderr := runCLI(t, "run", "--resume", dir, "--no-progress")
	if code != exitOK {
		t.Fatalf("resume: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	seen := map[any]int{}
	for _, r := range sb.Records("SiteType") {
		if r.UserObjectID != "" {
			seen[r.Properties["code"]]++
		}
	}
	if len(seen) != 20_000 {
		t.Errorf("the sandbox holds %d of the job's 20000 records", len(seen))
	}
	for c, n := range seen {
		if n != 1 {
			t.Errorf("%v stored %d times", c, n)
		}
	}
}
