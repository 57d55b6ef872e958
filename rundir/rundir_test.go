package rundir_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bulkload/bulkload/rundir"
	"github.com/bulkload/bulkload/runstore"
	"github.com/bulkload/bulkload/spec"
)

// Make gives a run a directory: a new one beside the spec when none is named; a folder named
// that does not exist, is empty or holds a run; never one of the user's, which it leaves as it
// was, naming the entries a run would replace.
func TestMake(t *testing.T) {
	written := []string{"report.csv", "payloads"}
	started := time.Date(2026, 12, 3, 6, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		dir     string            // "" for none named; else under the test's folder
		files   map[string]string // in dir before Make
		want    string            // the directory made, under the test's folder
		wantErr string
	}{
		{name: "none named", want: "runs/sites-20261203T060000.000Z"},
		{name: "a new folder", dir: "out/run", want: "out/run"},
		{name: "an empty folder", dir: "out", files: map[string]string{}, want: "out"},
		{name: "a run directory", dir: "out", files: map[string]string{runstore.FileName: "SQLite format 3\x00 and so on", "report.csv": "old"},
			want: "out"},
		{name: "the user's folder with a report.csv", dir: "out", files: map[string]string{"report.csv": "mine", "notes.txt": "mine"},
			wantErr: "holds report.csv, which a run would replace"},
		{name: "the user's folder of other files", dir: "out", files: map[string]string{"notes.txt": "mine"},
			wantErr: "neither empty nor a bulkload run directory (it holds 1 entries, e.g. notes.txt)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := t.TempDir()
			job := &spec.Job{Name: "sites", Dir: base}
			job.Report.Dir = "runs"
			dir := ""
			if tt.dir != "" {
				dir = filepath.Join(base, tt.dir)
			}
			if tt.files != nil {
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
				for name, content := range tt.files {
					if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			got, err := rundir.Make(job, dir, started, written)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Make = %q, %v; want an error saying %q", got, err, tt.wantErr)
				}
				if entries, _ := os.ReadDir(dir); len(entries) != len(tt.files) {
					t.Errorf("the refused folder holds %d entries, had %d", len(entries), len(tt.files))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if want := filepath.Join(base, tt.want); got != want {
				t.Errorf("Make = %s, want %s", got, want)
			}
			if fi, err := os.Stat(got); err != nil || !fi.IsDir() {
				t.Errorf("%s is not a directory: %v", got, err)
			}
		})
	}
}
