package report

import (
	"encoding/json"
	"os"

	"github.com/bulkload/bulkload/readers"
)

// jsonFix writes a JSONL fix file: one object per invalid row with its origin, errors and fields.
type jsonFix struct {
	f   *os.File
	enc *json.Encoder
}

func newJSONFix(path string) (*jsonFix, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	enc := json.NewEncoder(f)
	enc.SetEscapeHTML(false)
	return &jsonFix{f: f, enc: enc}, nil
}

func (j *jsonFix) header(readers.Row) error { return nil }

func (j *jsonFix) row(r readers.Row, errs string) error {
	fields := make(map[string]any, len(r.Columns))
	for i, c := range r.Columns {
		if i < len(r.Values) {
			fields[c] = r.Values[i]
		}
	}
	return j.enc.Encode(map[string]any{"origin": r.Origin.String(), ErrorsColumn: errs, "row": fields})
}

func (j *jsonFix) close() error { return j.f.Close() }
