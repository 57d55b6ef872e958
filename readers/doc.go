// Package readers turns CSV, XLSX and JSON files into a stream of rows, each carrying its origin
// (file, sheet, line or Excel row) so that every later problem can be reported where the user can
// find it. Readers stream: a row is held only until the caller asks for the next one. They do not
// type values; that is the job of package transforms, which knows the source's JSON Schema. A
// hostile or damaged file ends in an error that names the file and, where known, the sheet, row
// and column, never in rows silently lost; Limits bounds what a CSV or XLSX reader accepts.
package readers
