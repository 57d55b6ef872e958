package transforms

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/bulkload/bulkload/schemas"
	"github.com/bulkload/bulkload/spec"
)

// maxListed is how many header names a message lists when it has no nearer suggestion.
const maxListed = 12

// CheckHeader checks, once and before any row is evaluated, that the header of a CSV or XLSX
// source holds what the job reads of it, so that a misnamed column is one error rather than a
// property silently left out of every record, or one "missing" error per row. header is the
// source's column names (readers.Headed), at names the header for messages ("orders.csv:1",
// "sites.xlsx Sites!3"), schema is the source's row schema and ms the mappings of the source.
//
// It returns nil, or an error that joins, in this order:
//   - for a CSV source whose header seems to be split on the wrong delimiter (a name such as
//     "OrderNo;OrderDate;Qty" holds a column that is missing), one error saying which delimiter
//     the file seems to use, and nothing else, since every other problem follows from it;
//   - one error for each property the schema requires that the header lacks, naming the
//     header's nearest column (`the file has "Qty " with a trailing space`);
//   - one error for each other property of the schema that the header lacks but has in another
//     case or with white space around it: its values would never reach the property;
//   - spec.Errors, one for each column an expression (a property, when, userObjectId, id or
//     parent.userObjectId) reads by name that is neither in the header nor among the schema's
//     properties, placed at the expression and naming the entity and the column, with the
//     nearest column of the header.
func CheckHeader(job *spec.Job, src *spec.Source, header []string, at string, schema *schemas.RowSchema, ms []*Mapping) error {
	var required, misspelt []string
	for _, name := range schema.Required() {
		if !slices.Contains(header, name) {
			required = append(required, name)
		}
	}
	for _, c := range schema.Columns() {
		if !slices.Contains(header, c.Name) && !slices.Contains(required, c.Name) && sameButSpaceOrCase(c.Name, header) {
			misspelt = append(misspelt, c.Name)
		}
	}
	var refs []ColumnRef
	var owners []string
	for _, m := range ms {
		for _, r := range m.ColumnRefs() {
			if _, declared := schema.Column(r.Column); declared || slices.Contains(header, r.Column) {
				continue
			}
			refs, owners = append(refs, r), append(owners, m.Name())
		}
	}
	missing := slices.Concat(required, misspelt)
	for _, r := range refs {
		missing = append(missing, r.Column)
	}
	if len(missing) == 0 {
		return nil
	}
	if src.Format == "csv" {
		if err := wrongDelimiter(src, header, at, missing); err != nil {
			return err
		}
	}
	schemaName := schema.Path()
	if rel, err := filepath.Rel(job.Dir, schemaName); err == nil && filepath.IsAbs(schemaName) {
		schemaName = filepath.ToSlash(rel)
	}
	var errs []error
	for _, name := range required {
		errs = append(errs, fmt.Errorf("%s: the header has no column %q, which the schema %s requires of every row%s",
			at, name, schemaName, hint(name, header)))
	}
	for _, name := range misspelt {
		errs = append(errs, fmt.Errorf("%s: the header has no column %q, a property of the schema %s%s",
			at, name, schemaName, hint(name, header)))
	}
	var serrs spec.Errors
	for i, r := range refs {
		serrs = append(serrs, &spec.Error{File: job.File, Pos: r.Pos, Path: r.Path, Msg: fmt.Sprintf(
			"entity %q reads row.%s, but the header (%s) has no column %q and the schema does not declare it%s",
			owners[i], r.Column, at, r.Column, hint(r.Column, header))})
	}
	if len(serrs) > 0 {
		errs = append(errs, serrs)
	}
	return errors.Join(errs...)
}

// hint is nearestColumn's suggestion, or else the header's names when there are few.
func hint(name string, header []string) string {
	if h := nearestColumn(name, header); h != "" {
		return h
	}
	if len(header) > maxListed {
		return ""
	}
	q := make([]string, len(header))
	for i, c := range header {
		q[i] = fmt.Sprintf("%q", c)
	}
	return "; the header has " + strings.Join(q, ", ")
}

// delimiters are the field separators a CSV file may use.
var delimiters = []string{",", ";", "\t", "|"}

// wrongDelimiter returns the error for a header that seems to be split on the wrong delimiter: a
// name that, split on another delimiter, holds one of the missing columns. nil when none does.
func wrongDelimiter(src *spec.Source, header []string, at string, missing []string) error {
	for _, d := range delimiters {
		for _, name := range header {
			if !strings.Contains(name, d) || !holdsAny(strings.Split(name, d), missing) {
				continue
			}
			what := fmt.Sprintf("the header's column %q", name)
			if len(header) == 1 {
				what = fmt.Sprintf("the header is one column, %q", name)
			}
			declared := ""
			if src.Delimiter != "" {
				declared = fmt.Sprintf(", not the declared %q", src.Delimiter)
			}
			return fmt.Errorf("%s: %s: the file seems to use %q as its delimiter%s; declare delimiter: %q", at, what, d, declared, d)
		}
	}
	return nil
}

// holdsAny reports whether parts, trimmed, include one of names.
func holdsAny(parts, names []string) bool {
	for _, p := range parts {
		if slices.Contains(names, strings.TrimSpace(p)) {
			return true
		}
	}
	return false
}
