package readers

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/bulkload/bulkload/spec"
)

// csvBufferSize is the size of the read buffers; it also bounds how much of the header line
// delimiter detection looks at.
const csvBufferSize = 64 << 10

// invalidUTF8Msg is the row error for a cell that is not valid UTF-8 in a file read as UTF-8. A
// file with no UTF-8 character at all is refused at open (checkEncoding), so the file this cell is
// in is otherwise UTF-8.
const invalidUTF8Msg = "invalid UTF-8 in a file whose other text is UTF-8: the cell is damaged, or the file was put together from files in different encodings"

// nulMsg is the row error for a cell that holds a NUL byte (or, decoded, U+0000).
const nulMsg = "holds a NUL byte, which text never does: the file is binary, or UTF-16 without a byte order mark (declare encoding: utf-16le or utf-16be)"

// OpenCSV opens the CSV file src.File and reads its header. It uses src.Path (as written in the
// spec; src.File when Path is empty) as Origin.File, src.Delimiter (empty: detected from the header
// line), src.Encoding (empty: UTF-8), src.HeaderRow (the 1-based physical line of the column
// names, 0 meaning 1; lines above it are ignored whatever they hold) and src.Columns (when set,
// the file has no header: these are its column names and line 1 is data; HeaderRow is then not
// used). Nothing else of src is used, so a lookup table can be opened with a spec.Source that sets
// only Name, Path, File, Delimiter and Encoding.
//
// An unsupported delimiter or encoding, an unreadable file, a file without a header, a header
// line that is blank (the error names the first non-blank line after it: the header is never
// taken from another line than the one declared), and a header with an empty or duplicate column
// name, a malformed quote, a NUL byte or more columns than the limit are errors of OpenCSV naming
// the file, the header line and the column. So is a declared (or default) encoding that the whole
// file shows to be wrong: once the header is read, the file is scanned once (checkEncoding). The
// returned Source streams: it holds one record at a time. The caller must Close it.
//
// The file is read within DefaultLimits: a cell longer than CellBytes is an error of its row
// (which keeps the value), and a record longer than RecordBytes ends the reading with an error
// of Next naming the line it starts on.
func OpenCSV(src *spec.Source) (Source, error) {
	return openCSV(src, DefaultLimits)
}

// openCSV is OpenCSV within lim (zero fields: DefaultLimits).
func openCSV(src *spec.Source, lim Limits) (Source, error) { return openCSVHead(src, lim, false) }

// openCSVHead is openCSV; head skips the encoding check of the whole file (see OpenHead).
func openCSVHead(src *spec.Source, lim Limits, head bool) (Source, error) {
	display := src.Path
	if display == "" {
		display = src.File
	}
	lim, err := lim.resolve()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", display, err)
	}
	delim, err := parseDelimiter(src.Delimiter)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", display, err)
	}
	enc, err := lookupEncoding(src.Encoding)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", display, err)
	}
	if src.HeaderRow < 0 {
		return nil, fmt.Errorf("%s: header_row %d: must be 1 or more", display, src.HeaderRow)
	}
	f, err := os.Open(src.File)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", display, err)
	}
	// The header first: a header refused for its size is refused without reading the file. A
	// header whose text is suspect gives way to what the whole file says about its encoding.
	counted := &countingReader{rc: f}
	s, err := newCSVSource(counted, display, delim, enc, src.HeaderRow, src.Columns, lim)
	if err != nil {
		_ = f.Close()
		var suspect *suspectText
		if errors.As(err, &suspect) {
			if _, encErr := checkEncoding(src.File, display, enc); encErr != nil {
				return nil, encErr
			}
		}
		return nil, err
	}
	if head {
		return s, nil // each cell's UTF-8 is checked as it is read
	}
	valid, err := checkEncoding(src.File, display, enc)
	if err != nil {
		_ = s.Close()
		return nil, err
	}
	if valid {
		s.checkUTF8 = false // no cell can hold invalid UTF-8
	}
	s.counted = counted
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
		s.size = fi.Size()
	}
	return s, nil
}

// OpenLookup opens a lookup table: a CSV file read as OpenCSV reads a source, with its header on
// line 1. The caller must Close the Source.
func OpenLookup(l *spec.Lookup) (Source, error) {
	return OpenCSV(&spec.Source{
		Name:      l.Name,
		Path:      l.Path,
		File:      l.File,
		Format:    "csv",
		Delimiter: l.Delimiter,
		Encoding:  l.Encoding,
	})
}

// csvSource is the Source of one CSV file.
type csvSource struct {
	file    string // Origin.File
	closer  io.Closer
	br      *bufio.Reader // what r reads from
	r       *csv.Reader
	columns []string
	// headerLine is the physical line of the header; lineOffset is the number of lines skipped
	// before the csv.Reader started (header_row - 1), added to the lines it reports.
	headerLine int
	lineOffset int
	// checkUTF8 is set when the text is read as UTF-8 without decoding, so cells may hold invalid
	// sequences.
	checkUTF8 bool
	lim       Limits
	guard     *recordGuard    // under br: stops a record longer than lim.RecordBytes
	lastLine  int             // the start line of the last record read, for I/O error messages
	counted   *countingReader // the file under everything, for Position
	buffered  *bufio.Reader   // the buffer over counted
	size      int64           // the file's size, for Position; 0 unknown
	// enc is the encoding the file is read in; bom its byte order mark (nil: none); preamble
	// and headerRaw the text of the lines above the header and of the header (CSVRaw).
	enc       textEncoding
	bom       []byte
	preamble  []byte
	headerRaw []byte
	// raw is the text of the last record read, as RawRecord returns it.
	raw []byte
	err error // sticky: io.EOF or a read error, returned by every later Next
}

var _ Source = (*csvSource)(nil)

// newCSVSource reads the header from rc and returns a source positioned on the first data row.
// delim 0 means detect; headerRow 0 means 1; columns, when set, are the names of a file without a
// header. lim must be resolved. It does not close rc on error; the caller does.
func newCSVSource(rc io.ReadCloser, display string, delim rune, declared textEncoding, headerRow int, columns []string, lim Limits) (*csvSource, error) {
	buffered := bufio.NewReaderSize(rc, csvBufferSize)
	text, enc, bom, err := decodeText(buffered, declared)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", display, err)
	}
	guard := newRecordGuard(text, lim.RecordBytes)
	br := bufio.NewReaderSize(guard, csvBufferSize)
	guard.br = br
	if headerRow == 0 || len(columns) > 0 {
		headerRow = 1
	}
	skip := headerRow - 1
	if len(columns) > 0 {
		skip = 0
	}
	skipped, err := skipLines(br, skip)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", display, err)
	}
	if skipped < skip {
		return nil, fmt.Errorf("%s: no header: header_row is %d but the file has only %d lines", display, headerRow, skipped)
	}
	if delim == 0 {
		sample, err := br.Peek(csvBufferSize)
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: %w", display, err)
		}
		delim = detectDelimiter(sample)
	}
	r := csv.NewReader(br)
	r.Comma = delim
	r.FieldsPerRecord = -1
	r.LazyQuotes = false
	r.ReuseRecord = true
	s := &csvSource{file: display, closer: rc, br: br, r: r, lineOffset: skipped, checkUTF8: enc.decoder == nil,
		lim: lim, guard: guard, lastLine: skipped, buffered: buffered, enc: enc, bom: bom}
	guard.arm()
	s.preamble = append([]byte(nil), guard.raw[:guard.start-guard.rawStart]...)
	if len(columns) > 0 {
		if len(columns) > lim.Columns {
			return nil, fmt.Errorf("%s: columns names %d columns, more than the limit of %d", display, len(columns), lim.Columns)
		}
		s.columns = columns
		return s, nil
	}
	if err := s.readHeader(); err != nil {
		return nil, err
	}
	return s, nil
}

// skipLines consumes n lines of br and returns how many it consumed (fewer at the end of input).
// A last line without a line break counts.
func skipLines(br *bufio.Reader, n int) (int, error) {
	for i := 0; i < n; i++ {
		read := 0
		for {
			chunk, err := br.ReadSlice('\n')
			read += len(chunk)
			if errors.Is(err, bufio.ErrBufferFull) {
				continue
			}
			if errors.Is(err, io.EOF) {
				if read > 0 {
					return i + 1, nil
				}
				return i, nil
			}
			if err != nil {
				return i, err
			}
			break
		}
	}
	return n, nil
}

// readHeader reads the record on the header line (lineOffset+1) as the column names and checks
// them. A blank header line is an error naming the first non-blank line after it.
func (s *csvSource) readHeader() error {
	want := s.lineOffset + 1
	rec, err := s.headerRecord()
	if err != nil {
		return err
	}
	line, _ := s.r.FieldPos(0)
	if line+s.lineOffset != want || blankRecord(rec) {
		for blankRecord(rec) {
			if rec, err = s.headerRecord(); err != nil {
				return err
			}
		}
		line, _ = s.r.FieldPos(0)
		return fmt.Errorf("%s:%d: no header: line %d (header_row) is blank; the first non-blank line after it is line %d: set header_row: %d if that line holds the column names",
			s.file, want, want, line+s.lineOffset, line+s.lineOffset)
	}
	s.headerLine = line + s.lineOffset
	s.lastLine = s.headerLine
	s.headerRaw = append([]byte(nil), s.raw...)
	if len(rec) > s.lim.Columns {
		return fmt.Errorf("%s:%d: the header has %d columns, more than the limit of %d", s.file, s.headerLine, len(rec), s.lim.Columns)
	}
	s.columns = make([]string, len(rec))
	copy(s.columns, rec)

	var errs []error
	seen := make(map[string]int, len(rec))
	suspect := false
	for i, name := range s.columns {
		at := fmt.Sprintf("%s:%d: column %d", s.file, s.headerLine, i+1)
		if msg := s.cellProblem(name); msg != "" {
			errs = append(errs, fmt.Errorf("%s: %s", at, strings.Replace(msg, "the cell", "the name", 1)))
			suspect = suspect || msg == invalidUTF8Msg || msg == nulMsg
			continue
		}
		switch {
		case strings.TrimSpace(name) == "":
			errs = append(errs, fmt.Errorf("%s: empty column name", at))
		default:
			if first, dup := seen[name]; dup {
				errs = append(errs, fmt.Errorf("%s %q: duplicate column name (also column %d)", at, name, first+1))
			} else {
				seen[name] = i
			}
		}
	}
	if suspect {
		return &suspectText{errors.Join(errs...)}
	}
	return errors.Join(errs...)
}

// suspectText is a header error caused by bytes the declared encoding does not explain (invalid
// UTF-8, NUL): the file's encoding may be wrong, which checkEncoding can tell.
type suspectText struct{ err error }

func (e *suspectText) Error() string { return e.err.Error() }
func (e *suspectText) Unwrap() error { return e.err }

// headerRecord reads the next record while looking for the header; the end of the input is an
// error saying what the file holds.
func (s *csvSource) headerRecord() ([]string, error) {
	rec, err := s.r.Read()
	tooLong := s.tooLong(rec, err)
	var pe *csv.ParseError
	switch {
	case tooLong:
		return nil, s.tooLongErr(rec)
	case errors.As(err, &pe):
		return nil, fmt.Errorf("%s:%d: header: %s", s.file, pe.StartLine+s.lineOffset, parseErrorMsg(pe, s.lineOffset))
	case errors.Is(err, io.EOF):
		if s.lineOffset > 0 {
			return nil, fmt.Errorf("%s: no header: line %d (header_row) and the lines after it are blank or missing", s.file, s.lineOffset+1)
		}
		if s.r.InputOffset() == 0 {
			return nil, fmt.Errorf("%s: no header: the file is empty", s.file)
		}
		return nil, fmt.Errorf("%s: no header: the file has only blank lines", s.file)
	case err != nil:
		return nil, fmt.Errorf("%s: reading the header: %w", s.file, err)
	}
	return rec, nil
}

// Next returns the next non-blank record. See Source for the contract; a ragged record, a
// malformed quote, and a cell that is not valid UTF-8, holds a NUL byte or is longer than the
// cell limit give a row with Err set. A record longer than the record limit is an error of Next
// naming the line it starts on: nothing after it can be read with confidence.
func (s *csvSource) Next(ctx context.Context) (Row, error) {
	if s.err != nil {
		return Row{}, s.err
	}
	for {
		if err := ctx.Err(); err != nil {
			return Row{}, err
		}
		rec, err := s.r.Read()
		tooLong := s.tooLong(rec, err)
		var pe *csv.ParseError
		switch {
		case tooLong:
			s.err = s.tooLongErr(rec)
			return Row{}, s.err
		case errors.As(err, &pe):
			return s.parseErrorRow(rec, pe), nil
		case errors.Is(err, io.EOF):
			s.err = io.EOF
			return Row{}, s.err
		case err != nil:
			s.err = fmt.Errorf("%s: reading after line %d: %w", s.file, s.lastLine, err)
			return Row{}, s.err
		}
		if blankRecord(rec) {
			continue
		}
		line, _ := s.r.FieldPos(0)
		s.lastLine = line + s.lineOffset
		row := s.row(rec, s.lastLine)
		row.Err = s.check(rec, row.Origin)
		return row, nil
	}
}

// row builds a row of the values of rec, copied out of the reused record.
func (s *csvSource) row(rec []string, line int) Row {
	values := make([]any, len(rec))
	for i, v := range rec {
		values[i] = v
	}
	return Row{
		Origin:  Origin{File: s.file, Line: line},
		Columns: s.columns,
		Values:  values,
		Dates:   NoSerialDates,
	}
}

// check returns the row's problem: a field count that differs from the header's, or else the first
// cell with a problem (cellProblem). It returns nil for a good row.
func (s *csvSource) check(rec []string, o Origin) error {
	if len(rec) != len(s.columns) {
		return &RowError{Origin: o, Index: -1, Msg: fmt.Sprintf("has %s, the header has %d", fieldCount(len(rec)), len(s.columns))}
	}
	for i, v := range rec {
		if msg := s.cellProblem(v); msg != "" {
			return &RowError{Origin: o, Column: s.columns[i], Index: i, Msg: msg}
		}
	}
	return nil
}

// cellProblem says what is wrong with a cell's text: longer than the cell limit, a NUL byte, or
// (in a file read as UTF-8) invalid UTF-8; "" when nothing is.
func (s *csvSource) cellProblem(v string) string {
	switch {
	case len(v) > s.lim.CellBytes:
		return "the cell holds " + limitMsg(int64(len(v)), int64(s.lim.CellBytes), "one cell")
	case strings.IndexByte(v, 0) >= 0:
		return nulMsg
	case s.checkUTF8 && !utf8.ValidString(v):
		return invalidUTF8Msg
	}
	return ""
}

// tooLong reports whether the record just read broke the record limit, given the error of the
// read; it starts the count for the next record, so it must be called once after every read.
// The guard's error may be lost in encoding/csv's own (a bare quote in the part it read), so the
// guard is asked, not err alone. Before that, it puts back the line breaks of a record read
// without error as they stand in the input (keepLineBreaks).
func (s *csvSource) tooLong(rec []string, err error) bool {
	s.raw = nil
	if err == nil && s.guard.start >= 0 {
		raw := s.guard.record()
		keepLineBreaks(rec, raw)
		s.raw = trimEmptyLines(raw)
	}
	size := s.guard.next()
	return errors.Is(err, errRecordTooLong) || size > s.guard.limit
}

// tooLongErr is the error that ends the reading at a record longer than the limit; rec is what
// encoding/csv returned of it.
func (s *csvSource) tooLongErr(rec []string) error {
	at := fmt.Sprintf("%s: after line %d", s.file, s.lastLine)
	if len(rec) > 0 {
		line, _ := s.r.FieldPos(0)
		at = fmt.Sprintf("%s:%d", s.file, line+s.lineOffset)
	}
	return fmt.Errorf(`%s: a record longer than the %s limit for one record starts here; is the closing " of a quoted field missing? Reading stopped here`,
		at, formatBytes(int64(s.lim.RecordBytes)))
}

// parseErrorRow delivers a record the csv package could not parse: the fields read before the
// problem, and an error naming the line and the column it is in. The csv package goes on with
// the next line.
func (s *csvSource) parseErrorRow(rec []string, pe *csv.ParseError) Row {
	line := pe.StartLine + s.lineOffset
	s.lastLine = line
	row := s.row(rec, line)
	e := &RowError{Origin: row.Origin, Index: -1, Msg: parseErrorMsg(pe, s.lineOffset)}
	if i := len(rec); i < len(s.columns) {
		e.Column, e.Index = s.columns[i], i
	}
	if errors.Is(pe.Err, csv.ErrQuote) && pe.Line > pe.StartLine {
		if _, err := s.br.Peek(1); errors.Is(err, io.EOF) {
			e.Msg += fmt.Sprintf(`; the quoted field that starts on line %d runs to the end of the file: is its closing " missing?`, line)
		}
	}
	row.Err = e
	return row
}

// parseErrorMsg explains a csv.ParseError to someone who will fix the file. offset is added to the
// csv package's line so that the message names the physical line.
func parseErrorMsg(pe *csv.ParseError, offset int) string {
	at := fmt.Sprintf("(line %d, byte %d)", pe.Line+offset, pe.Column)
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		return `bare " in an unquoted field ` + at + `; quote the whole field and double the quotes inside it, as in "5"" pipe"`
	case errors.Is(pe.Err, csv.ErrQuote):
		return `extraneous or missing " in a quoted field ` + at + `; a quoted field must end with " followed by the delimiter or the end of the line`
	}
	return pe.Err.Error() + " " + at
}

// Close closes the file. It is safe to call more than once.
func (s *csvSource) Close() error {
	if s.closer == nil {
		return nil
	}
	err := s.closer.Close()
	s.closer = nil
	if s.err == nil {
		s.err = fmt.Errorf("%s: read after Close", s.file)
	}
	return err
}

// blankRecord reports whether every field of rec is empty or white space: a line of delimiters
// only (";;;"), or one of spaces.
func blankRecord(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// fieldCount says "1 field" or "n fields".
func fieldCount(n int) string {
	if n == 1 {
		return "1 field"
	}
	return fmt.Sprintf("%d fields", n)
}
