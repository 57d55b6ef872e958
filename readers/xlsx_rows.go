package readers

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// maxSheetColumns is the widest sheet Excel has: columns A to XFD.
const maxSheetColumns = 16384

// sheetRows reads the row elements of a sheet's XML in order with a strict XML decoder, giving
// each cell's value and kind:
//
//   - t="s": the shared string (KindText); t="inlineStr": the inline string's text (KindText);
//     t="str": a formula's cached text (KindText);
//   - t="b": KindBool, "TRUE" or "FALSE"; t="e": KindError, the error as written ("#DIV/0!");
//   - t="d": an ISO 8601 date, KindDate or KindDateTime as its style says;
//   - t="n" or none: a number, KindNumber, or KindDate / KindDateTime when the cell's style has
//     a date format (see numberKinds).
//
// A formula is read as its cached value; a cell without a value is empty (KindText ""). A cell
// whose value contradicts its type (a boolean "2", a number "abc") is a problem of its row.
//
// The rows are read by the fast scanner (xlsx_fast.go) where it can, which falls back to the
// strict decoder for the rest of the sheet where it cannot; without reopen, by the strict
// decoder alone.
type sheetRows struct {
	in      *sheetBuf
	dec     *xml.Decoder
	sst     []string
	styles  numberKinds
	charset func(string, io.Reader) (io.Reader, error)
	reopen  func() (io.Reader, error) // the sheet's XML again from its start, for a fallback
	fast    bool                      // the fast scanner reads the rows
	noFast  bool                      // the strict decoder reads the rest of the sheet
	skip    int                       // the row elements the strict decoder passes over
	v       []byte                    // the fast scanner's cell value
	inline  []byte                    // the fast scanner's inline string

	inSheet  bool // inside the document's root element
	inData   bool
	ended    bool // the end of sheetData was read
	row      int  // the number of the row element last started
	inRow    bool // inside that row element
	rowsDone int  // row elements read to their end
	col      int  // the column (1-based) of the cell being read, 0 outside a cell
	inCell   bool
}

// sheetRow is one row element: its number, its cells from column A (padded with empty text),
// and the problem of the first cell that could not be read, if any, at problemCol (0-based).
type sheetRow struct {
	line       int
	values     []string
	kinds      []CellKind
	problem    *RowError
	problemCol int
}

// sheetFault is where the sheet's XML stopped being well formed: inside row (at column col, 0
// when between cells), after it (row ended), or before any row (row 0).
type sheetFault struct {
	row, col int
	inRow    bool
	rowsDone int
	fault    *xmlFault
}

func (e *sheetFault) Error() string { return e.fault.Error() }

// maxSheetRows is the longest sheet Excel has.
const maxSheetRows = 1 << 20

// dataError is sheet data that is well-formed XML but no sheet: a row or cell reference beyond
// the sheet's limits, or a cell reference outside its row.
type dataError struct {
	row int
	msg string
}

func (e *dataError) Error() string { return e.msg }

// newSheetRows reads the sheet's XML r; reopen, if not nil, reads it again from its start.
func newSheetRows(r io.Reader, sst []string, styles numberKinds, charset func(string, io.Reader) (io.Reader, error), reopen func() (io.Reader, error)) *sheetRows {
	in := newSheetBuf(r)
	return &sheetRows{in: in, dec: newDecoder(in, charset), sst: sst, styles: styles, charset: charset, reopen: reopen}
}

// next returns the next row element, io.EOF after the end of sheetData, or a *sheetFault. The
// rows of the sheet's XML are in ascending order (scanSheet checks that first).
func (x *sheetRows) next() (sheetRow, error) {
	if x.ended {
		return sheetRow{}, io.EOF
	}
	if x.fast {
		r, err := x.fastNext()
		if !errors.Is(err, errFallback) {
			return r, err
		}
		if err := x.replay(); err != nil {
			return sheetRow{}, err
		}
	}
	for {
		tok, err := x.dec.Token()
		if err != nil {
			return sheetRow{}, x.fault(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch {
			case !x.inData && !x.inSheet:
				x.inSheet = true // the worksheet element
			case !x.inData && t.Name.Local == "sheetData":
				x.inData = true
				if x.handoff() {
					x.fast = true
					return x.next()
				}
			case !x.inData || t.Name.Local != "row":
				if err := x.dec.Skip(); err != nil {
					return sheetRow{}, x.fault(err)
				}
			default:
				r, err := x.readRow(t)
				if err == nil && x.rowsDone <= x.skip {
					continue // handed on by the fast scanner before it fell back
				}
				return r, err
			}
		case xml.EndElement:
			if x.inData && t.Name.Local == "sheetData" {
				x.ended = true
				return sheetRow{}, io.EOF
			}
		}
	}
}

// fault records where the decoder stopped.
func (x *sheetRows) fault(err error) error {
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF // the sheet ended without ending its sheetData
	}
	var pe *partError
	if errors.As(err, &pe) {
		return pe
	}
	col := x.col
	if !x.inCell {
		col = 0
	}
	return &sheetFault{row: x.row, col: col, inRow: x.inRow, rowsDone: x.rowsDone, fault: fault(x.dec, err)}
}

// readRow reads the row element that start opens, up to its end.
func (x *sheetRows) readRow(start xml.StartElement) (sheetRow, error) {
	n := x.row + 1
	if v := attrValue(start, "r"); v != "" {
		if k, err := strconv.Atoi(v); err == nil && k != 0 {
			n = k
		}
	}
	if n > maxSheetRows || n < 0 {
		return sheetRow{}, &dataError{row: n, msg: fmt.Sprintf("row %d is beyond row %d, the last a sheet can have", n, maxSheetRows)}
	}
	x.row, x.inRow, x.col = n, true, 0
	r := sheetRow{line: n}
	for {
		tok, err := x.dec.Token()
		if err != nil {
			return sheetRow{}, x.fault(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local != "c" {
				if err := x.dec.Skip(); err != nil {
					return sheetRow{}, x.fault(err)
				}
				continue
			}
			if err := x.readCell(t, &r); err != nil {
				return sheetRow{}, err
			}
		case xml.EndElement:
			x.inRow = false
			x.rowsDone++
			return r, nil
		}
	}
}

// readCell reads the cell element that start opens and sets its value in r.
func (x *sheetRows) readCell(start xml.StartElement, r *sheetRow) error {
	col := x.col + 1
	typ, style := "", 0
	for _, a := range start.Attr {
		switch a.Name.Local {
		case "r":
			c, ok := cellColumn(a.Value, r.line)
			if !ok {
				return &dataError{row: r.line, msg: fmt.Sprintf("cell reference %q is not a cell of row %d", a.Value, r.line)}
			}
			col = c
		case "t":
			typ = a.Value
		case "s":
			style = styleIndex(a.Value)
		}
	}
	if col > maxSheetColumns {
		return &dataError{row: r.line, msg: fmt.Sprintf("cell %s%d is beyond column XFD, the last a sheet can have", ColumnLetters(col-1), r.line)}
	}
	x.col, x.inCell = col, true
	var v, inline bytes.Buffer
	hasV := false
	for depth, in := 0, ""; ; {
		tok, err := x.dec.Token()
		if err != nil {
			return x.fault(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch name := t.Name.Local; {
			case depth == 1 && name == "v":
				in, hasV = "v", true
			case depth == 1 && name == "is":
				in = "is"
			case in == "is" && name == "t" && (depth == 2 || depth == 3):
				in = "t"
			case in == "is" && depth == 2 && name == "r":
			default:
				depth--
				if err := x.dec.Skip(); err != nil { // a formula, phonetic runs, extensions
					return x.fault(err)
				}
			}
		case xml.CharData:
			switch in {
			case "v":
				v.Write(t)
			case "t":
				inline.Write(t)
			}
		case xml.EndElement:
			if depth == 0 {
				x.inCell = false
				return x.setCell(r, col, typ, style, v.String(), hasV, inline.String())
			}
			depth--
			switch {
			case in == "t":
				in = "is"
			case depth == 0:
				in = ""
			}
		}
	}
}

// setCell types the cell's value as its type and style say and puts it in column col of r.
func (x *sheetRows) setCell(r *sheetRow, col int, typ string, style int, v string, hasV bool, inline string) error {
	problem := func(format string, args ...any) error {
		if r.problem == nil {
			r.problem, r.problemCol = &RowError{Index: -1, Msg: fmt.Sprintf(format, args...)}, col-1
		}
		return nil
	}
	kind, value := KindText, ""
	switch typ {
	case "s":
		if hasV && strings.TrimSpace(v) != "" {
			i, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || i < 0 || i >= len(x.sst) {
				return problem("shared string %q is not in the workbook's table", v) // scanSheet refuses these first
			}
			value = x.sst[i]
		}
	case "inlineStr":
		value = unescapeXString(inline)
		if inline == "" && hasV {
			value = unescapeXString(v)
		}
	case "str":
		value = unescapeXString(v)
	case "b":
		switch strings.TrimSpace(v) {
		case "1", "true":
			kind, value = KindBool, "TRUE"
		case "0", "false":
			kind, value = KindBool, "FALSE"
		case "":
		default:
			return problem("the cell is a boolean, but its value %s is neither 1 nor 0: the sheet's XML is malformed", excerpt(v))
		}
	case "e":
		if s := strings.TrimSpace(v); s != "" {
			kind, value = KindError, s
		}
	case "d":
		if s := strings.TrimSpace(v); s != "" {
			kind, value = KindDate, s
			if x.styles.of(style) == KindDateTime || strings.ContainsRune(s, 'T') {
				kind = KindDateTime
			}
		}
	case "", "n":
		s := strings.TrimSpace(v)
		if s == "" {
			break
		}
		if _, err := strconv.ParseFloat(s, 64); err != nil || !decimalNumber(s) {
			return problem("the cell is a number, but its value %s is not one: the sheet's XML is malformed", excerpt(v))
		}
		kind, value = x.styles.of(style), s
	default:
		return problem("the cell has the unknown type %q", typ)
	}
	for len(r.values) < col {
		r.values = append(r.values, "")
		r.kinds = append(r.kinds, KindText)
	}
	r.values[col-1], r.kinds[col-1] = value, kind
	return nil
}

// cellColumn returns the column (1-based) of a cell reference such as "AB12", and whether the
// reference is one of a cell in row (letters, then row's number).
func cellColumn(ref string, row int) (int, bool) {
	letters := 0
	for letters < len(ref) && ('A' <= ref[letters] && ref[letters] <= 'Z' || 'a' <= ref[letters] && ref[letters] <= 'z') {
		letters++
	}
	if letters == 0 || letters > 3 {
		return 0, false
	}
	n, err := strconv.Atoi(ref[letters:])
	if err != nil || n != row || ref[letters] == '+' || ref[letters] == '-' {
		return 0, false
	}
	return columnOf([]byte(ref[:letters])), true
}

// decimalNumber reports whether s is written as a spreadsheet writes a number: an optional sign,
// digits with an optional fraction, an optional exponent; not NaN, Inf or hexadecimal.
func decimalNumber(s string) bool {
	digits := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits = true
		case c == '.' || c == '+' || c == '-':
		case (c == 'e' || c == 'E') && digits:
		default:
			return false
		}
	}
	return digits
}

// attrValue returns the value of the attribute with the given local name, or "".
func attrValue(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}
