package pipeline_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/pipeline"
	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/sandbox"
)

// A run tells its progress display what it needs: the phases in order (reading, the checks
// across rows, sending, writing reports), the bytes of the CSV file read, growing to the file's
// size, and a count of failed records that adds up to the failures the summary counts.
func TestProgressHooksOfARun(t *testing.T) {
	cfg := sandbox.DefaultConfig()
	files, env := rowsJob(sitesJob, cfg, 400, 10, 4, "PerRecord", plainDesc, func(i int) bool { return i%25 == 0 })
	var phases []string
	var failed, calls int
	var last, total int64
	r := runOnSandboxWith(t, cfg, files, env, pipeline.RunOptions{
		Options: pipeline.Options{
			Phase: func(p string) { phases = append(phases, p) },
			Bytes: func(done, tot int64) {
				if done < last {
					t.Errorf("bytes went back from %d to %d", last, done)
				}
				last, total = done, tot
				calls++
			},
		},
		Sending: func(int) { phases = append(phases, "sending") },
		Failed:  func(n int) { failed += n },
	})
	if r.err != nil {
		t.Fatal(r.err)
	}
	want := []string{pipeline.PhaseReading, pipeline.PhaseChecking, "sending", pipeline.PhaseReports}
	if fmt.Sprint(phases) != fmt.Sprint(want) {
		t.Errorf("phases %q, want %q", phases, want)
	}
	size := int64(len(files["rows.csv"]))
	if total != size || last != size || calls != 400 {
		t.Errorf("bytes: last %d of %d in %d calls; want %d of %d in 400", last, total, calls, size, size)
	}
	if got := r.out.Summary.Count(record.Failed); failed != got || got == 0 {
		t.Errorf("Failed was told of %d records; the summary counts %d failed (want > 0)", failed, got)
	}
	if !strings.Contains(files["rows.csv"], "XXX") {
		t.Fatal("no bad currency in the rows")
	}
}
