package pipeline

import (
	"encoding/json"
	"fmt"

	"github.com/bulkload/bulkload/spec"
)

// metaSourceFiles is the meta key of the sources' files a run was started with in place of the
// spec's (`--source NAME=FILE`): a JSON list of spec.SourceFile, "" when none. A resume reads the
// same files.
const metaSourceFiles = "source_files"

// encodeSourceFiles renders job.SourceFiles for the meta table.
func encodeSourceFiles(job *spec.Job) string {
	if len(job.SourceFiles) == 0 {
		return ""
	}
	b, _ := json.Marshal(job.SourceFiles) // strings only: cannot fail
	return string(b)
}

// decodeSourceFiles reads what encodeSourceFiles wrote.
func decodeSourceFiles(s string) ([]spec.SourceFile, error) {
	if s == "" {
		return nil, nil
	}
	var files []spec.SourceFile
	if err := json.Unmarshal([]byte(s), &files); err != nil {
		return nil, fmt.Errorf("the run's recorded source files (%s) are damaged: %w", metaSourceFiles, err)
	}
	return files, nil
}
