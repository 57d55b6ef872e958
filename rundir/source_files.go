package rundir

import (
	"encoding/json"
	"fmt"

	"github.com/bulkload/bulkload/spec"
)

// MetaSourceFiles is the key, in the run store's meta table, of the sources' files a run was
// started with in place of the spec's (`--source NAME=FILE`): a JSON list of spec.SourceFile, ""
// when none. A resume reads the same files.
const MetaSourceFiles = "source_files"

// EncodeSourceFiles renders job.SourceFiles as the value of MetaSourceFiles.
func EncodeSourceFiles(job *spec.Job) string {
	if len(job.SourceFiles) == 0 {
		return ""
	}
	b, _ := json.Marshal(job.SourceFiles) // strings only: cannot fail
	return string(b)
}

// DecodeSourceFiles reads what EncodeSourceFiles wrote; a value it cannot read is an error naming
// the key.
func DecodeSourceFiles(s string) ([]spec.SourceFile, error) {
	if s == "" {
		return nil, nil
	}
	var files []spec.SourceFile
	if err := json.Unmarshal([]byte(s), &files); err != nil {
		return nil, fmt.Errorf("the run's recorded source files (%s) are damaged: %w", MetaSourceFiles, err)
	}
	return files, nil
}
