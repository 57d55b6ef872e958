package rundir_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/rundir"
	"github.com/bulkload/bulkload/runstore"
	"github.com/bulkload/bulkload/spec"
)

// What SaveInputs records, ReadMetaJSON and ReadInfo read back; a value that does not decode is an
// error naming its key.
func TestSaveInputs(t *testing.T) {
	dir := t.TempDir()
	files := rundir.EncodeSourceFiles(&spec.Job{SourceFiles: []spec.SourceFile{{Name: "sites", File: "/data/sites-v2.csv"}}})
	s, err := runstore.Create(t.Context(), dir, map[string]string{"mode": "run", "spec": "/jobs/job.yaml", rundir.MetaSourceFiles: files})
	if err != nil {
		t.Fatal(err)
	}
	fp := rundir.Fingerprint{"/jobs/job.yaml": "ab12"}
	stats := map[string]int{"sites": 7}
	if err := rundir.SaveInputs(t.Context(), s, rundir.Inputs{Fingerprint: fp, Stats: stats, Target: "https://h"}); err != nil {
		t.Fatal(err)
	}
	var gotFP rundir.Fingerprint
	var gotStats map[string]int
	if err := rundir.ReadMetaJSON(t.Context(), s, rundir.MetaFingerprint, &gotFP); err != nil || !reflect.DeepEqual(gotFP, fp) {
		t.Errorf("fingerprint %v, %v; want %v", gotFP, err, fp)
	}
	if err := rundir.ReadMetaJSON(t.Context(), s, rundir.MetaStats, &gotStats); err != nil || !reflect.DeepEqual(gotStats, stats) {
		t.Errorf("stats %v, %v; want %v", gotStats, err, stats)
	}
	if err := s.SetMeta(t.Context(), rundir.MetaStats, "{"); err != nil {
		t.Fatal(err)
	}
	if err := rundir.ReadMetaJSON(t.Context(), s, rundir.MetaStats, &gotStats); err == nil || !strings.Contains(err.Error(), "meta stats") {
		t.Errorf("damaged stats: %v; want an error naming meta stats", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	info, err := rundir.ReadInfo(t.Context(), dir)
	want := rundir.Info{Spec: "/jobs/job.yaml", Target: "https://h", SourceFiles: []spec.SourceFile{{Name: "sites", File: "/data/sites-v2.csv"}}}
	if err != nil || !reflect.DeepEqual(info, want) {
		t.Errorf("ReadInfo: %+v, %v; want %+v", info, err, want)
	}
}

// ReadInfo refuses a folder without a run store and a dry run's directory.
func TestReadInfoRefuses(t *testing.T) {
	empty := t.TempDir()
	if _, err := rundir.ReadInfo(t.Context(), empty); !errors.Is(err, rundir.ErrNotRunDir) ||
		err.Error() != empty+" is not a run directory (no "+runstore.FileName+" in it)" {
		t.Errorf("empty folder: %v", err)
	}
	dry := t.TempDir()
	s, err := runstore.Create(t.Context(), dry, map[string]string{"mode": "dry-run"})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := rundir.ReadInfo(t.Context(), dry); err == nil || !strings.Contains(err.Error(), "holds a dry-run, not a run") {
		t.Errorf("dry run: %v", err)
	}
}
