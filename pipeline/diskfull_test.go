package pipeline_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/bulkload/bulkload/pipeline"
	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/runstore"
	"github.com/bulkload/bulkload/sandbox"
)

// smallDisk mounts a tmpfs of size bytes on a new folder and returns it; it skips the test where
// mounting is not allowed (not root, no CAP_SYS_ADMIN).
func smallDisk(t *testing.T, size int) string {
	t.Helper()
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, fmt.Sprintf("size=%d", size)); err != nil {
		t.Skipf("cannot mount a tmpfs to fill (%v)", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, 0); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	return dir
}

// fill writes zeros to path until the disk is full.
func fill(t *testing.T, path string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 4096)
	for {
		if _, err := f.Write(buf); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			return
		}
	}
}

// The disk of the run directory fills up while the run sends: the run stops with a
// *DiskFullError naming the directory and saying nothing is lost; once space is freed, a resume
// finishes the run with every record stored in the sandbox exactly once.
func TestDiskFullWhileSending(t *testing.T) {
	disk := smallDisk(t, 16<<20)
	cfg := sandbox.DefaultConfig()
	files, env := rowsJob(sitesJob, cfg, 1500, 50, 4, "PerRecord", plainDesc, nil)
	sb, err := sandbox.Start(cfg, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	env["SANDBOX_URL"] = sb.URL()
	job, _ := loadFiles(t, files, env, nil)
	dir := filepath.Join(disk, "run")
	filler := filepath.Join(disk, "filler")
	_, err = pipeline.Run(context.Background(), job, pipeline.RunOptions{Options: pipeline.Options{RunDir: dir},
		Getenv:  func(k string) string { return env[k] },
		Sending: func(int) { fill(t, filler) }})
	var full *runstore.DiskFullError
	if !errors.As(runstore.DiskFull(dir, err), &full) {
		t.Fatalf("run on a full disk: %v; want a disk-full error", err)
	}
	if msg := full.Error(); !strings.Contains(msg, "the disk that holds "+dir+" is full") || !strings.Contains(msg, "nothing is lost") {
		t.Errorf("message %q: want the directory named and that nothing is lost", msg)
	}
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	r := sandboxRun{sb: sb, dir: dir}
	out, err := resume(t, r, pipeline.ResumeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if n := out.Summary.Count(record.Succeeded); n != 4500 {
		t.Errorf("%d records succeeded after the resume, want 4500", n)
	}
	for et, prefix := range map[string]string{"SiteType": "T0", "Site": "S0", "Warehouse": "W0"} {
		seen := map[string]int{}
		for _, rec := range sb.Records(et) {
			if code := fmt.Sprint(rec.Properties["code"]); strings.HasPrefix(code, prefix) {
				seen[code]++
			}
		}
		if len(seen) != 1500 {
			t.Errorf("the sandbox holds %d %s records of the job, want 1500", len(seen), et)
		}
		for code, n := range seen {
			if n > 1 {
				t.Errorf("%s %s stored %d times", et, code, n)
			}
		}
	}
}
