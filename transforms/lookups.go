package transforms

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/bulkload/bulkload/readers"
	"github.com/bulkload/bulkload/spec"
)

// lookupTable is one loaded CSV lookup table: key column text -> value column text. It is
// read-only after loading, so it is safe for concurrent use.
type lookupTable struct {
	name   string
	path   string // as the spec writes it, for messages
	values map[string]string
}

// loadLookups reads every lookup table of the job. Problems are spec errors placed at the
// lookup's entry in the spec; all of them are returned.
func loadLookups(job *spec.Job) (map[string]*lookupTable, spec.Errors) {
	tables := make(map[string]*lookupTable, len(job.Lookups))
	var errs spec.Errors
	for i := range job.Lookups {
		l := &job.Lookups[i]
		t, err := loadLookup(l)
		if err != nil {
			path := fmt.Sprintf("lookups[%d]", i)
			var ce *columnError
			if errors.As(err, &ce) {
				path += "." + ce.key
			}
			errs = append(errs, &spec.Error{File: job.File, Pos: l.Pos, Path: path, Msg: err.Error()})
			continue
		}
		tables[l.Name] = t
	}
	return tables, errs
}

// loadLookup reads one table with the CSV reader (so delimiters and encodings behave as for
// sources). A table without data rows is an error: every lookup in it would fail. Key and value columns default to the first and second column. A key that appears
// twice with different values is an error naming both lines; repeating a key with the same
// value is allowed.
func loadLookup(l *spec.Lookup) (*lookupTable, error) {
	r, err := readers.OpenLookup(l)
	if err != nil {
		return nil, err
	}
	defer r.Close()

	t := &lookupTable{name: l.Name, path: l.Path, values: map[string]string{}}
	keyIdx, valIdx := -1, -1
	lines := map[string]int{}
	for {
		row, err := r.Next(context.Background())
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if keyIdx < 0 {
			if keyIdx, valIdx, err = lookupColumns(l, row.Columns); err != nil {
				return nil, err
			}
		}
		if row.Err != nil {
			return nil, row.Err
		}
		key, val := cellText(row, keyIdx), cellText(row, valIdx)
		if key == "" {
			return nil, fmt.Errorf("%s:%d: the key column %q is empty", l.Path, row.Origin.Line, row.Columns[keyIdx])
		}
		if prev, dup := t.values[key]; dup {
			if prev != val {
				return nil, fmt.Errorf("%s: key %q is %q on line %d but %q on line %d", l.Path, key, prev, lines[key], val, row.Origin.Line)
			}
			continue
		}
		t.values[key], lines[key] = val, row.Origin.Line
	}
	if keyIdx < 0 {
		return nil, fmt.Errorf("%s: has no data rows", l.Path)
	}
	return t, nil
}

// columnError is a key or value column that the table does not have; key is the spec key
// that names it ("key" or "value").
type columnError struct {
	key string
	msg string
}

func (e *columnError) Error() string { return e.msg }

// lookupColumns finds the key and value columns in the header.
func lookupColumns(l *spec.Lookup, columns []string) (key, val int, err error) {
	find := func(name string, def int, what string) (int, error) {
		if name == "" {
			if def >= len(columns) {
				return -1, &columnError{what, fmt.Sprintf("%s: has %d column(s); a lookup table needs a key and a value column", l.Path, len(columns))}
			}
			return def, nil
		}
		if i := slices.Index(columns, name); i >= 0 {
			return i, nil
		}
		return -1, &columnError{what, fmt.Sprintf("%s: has no %s column %q (columns: %s)", l.Path, what, name, strings.Join(columns, ", "))}
	}
	if key, err = find(l.Key, 0, "key"); err != nil {
		return -1, -1, err
	}
	if val, err = find(l.Value, 1, "value"); err != nil {
		return -1, -1, err
	}
	return key, val, nil
}

// cellText returns the text of a CSV cell ("" when the row is short).
func cellText(row readers.Row, i int) string {
	if i >= len(row.Values) {
		return ""
	}
	s, _ := row.Values[i].(string)
	return s
}

// fnLookup: lookup("table", key, fallback?) returns the value column of the row whose key
// column equals key (as text). A missing key is an error unless a fallback is given; a nil key
// gives the fallback, or nil.
func (sc *funcScope) fnLookup(args ...any) (any, error) {
	name, _ := args[0].(string)
	t, ok := sc.lookups[name]
	if !ok {
		return nil, fmt.Errorf("lookup: no lookup table named %q", name)
	}
	if isNil(args[1]) {
		if len(args) > 2 {
			return args[2], nil
		}
		return nil, nil
	}
	key, err := asText("lookup", args[1])
	if err != nil {
		return nil, err
	}
	if v, ok := t.values[key]; ok {
		return v, nil
	}
	if len(args) > 2 {
		return args[2], nil
	}
	return nil, fmt.Errorf("lookup %q: no row with key %q in %s", name, key, t.path)
}
