package readers

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

// columnMap relates the columns of a header to the columns of its sheet: a blank header cell
// over a column that holds nothing is no column, so the two may differ.
type columnMap struct {
	sheet  []int // header index -> sheet column (0-based)
	header []int // sheet column -> header index, -1 for none; as long as the header's last column
}

// sheetColumn returns the sheet column of header column i; a nil map is the identity.
func (m *columnMap) sheetColumn(i int) int {
	if m == nil {
		return i
	}
	if i < 0 || i >= len(m.sheet) {
		return -1
	}
	return m.sheet[i]
}

// headerColumn returns the header column of sheet column c, or -1 when c is none.
func (m *columnMap) headerColumn(c int) int {
	if c < 0 || c >= len(m.header) {
		return -1
	}
	return m.header[c]
}

// readHeader skips to row headerRow, takes it as the column names and checks them; a blank
// header row is an error naming the first non-blank row after it, never a reason to take another. Blank cells after the last name are not columns (a value under one is an error
// of its row); a blank cell before it is no column when no row after the header holds a value in
// its column (scan.dataFrom), and an error naming the first cell that does otherwise. A sheet
// without any non-blank row is empty.
func (s *xlsxSource) readHeader(headerRow int, scan *sheetScan) error {
	var cells []string
	seenData := false
	for {
		r, err := s.rows.next()
		if errors.Is(err, io.EOF) {
			if !seenData {
				s.empty, s.err, s.columns, s.cols = true, io.EOF, []string{}, &columnMap{}
				return nil
			}
			return fmt.Errorf("%s: sheet %q: no header: row %d (header_row) and the rows after it are blank or missing", s.file, s.sheet, headerRow)
		}
		if err != nil {
			return s.readError(err)
		}
		s.line = r.line
		if r.problem != nil {
			return fmt.Errorf("%s %s!%s%d: %s", s.file, s.sheet, ColumnLetters(r.problemCol), r.line, r.problem.Msg)
		}
		if blankCells(r.values) {
			continue
		}
		seenData = true
		if r.line < headerRow {
			continue
		}
		if r.line > headerRow {
			return fmt.Errorf("%s %s!%d: no header: row %d (header_row) is blank; the first non-blank row after it is row %d: set header_row: %d if that row holds the column names",
				s.file, s.sheet, headerRow, headerRow, r.line, r.line)
		}
		cells = r.values
		break
	}
	for len(cells) > 0 && strings.TrimSpace(cells[len(cells)-1]) == "" {
		cells = cells[:len(cells)-1]
	}
	cols := &columnMap{header: make([]int, len(cells))}
	var errs []error
	seen := make(map[string]int, len(cells))
	for c, name := range cells {
		cols.header[c] = -1
		at := fmt.Sprintf("%s %s!%s%d", s.file, s.sheet, ColumnLetters(c), s.line)
		switch {
		case strings.TrimSpace(name) == "":
			if c < len(scan.dataFrom) && scan.dataFrom[c] > 0 {
				errs = append(errs, fmt.Errorf("%s: the header cell is blank, but cell %s%d under it holds a value: name the column, or empty it", at, ColumnLetters(c), scan.dataFrom[c]))
			}
			continue
		case len(name) > s.lim.CellBytes:
			errs = append(errs, fmt.Errorf("%s: the name holds %s", at, limitMsg(int64(len(name)), int64(s.lim.CellBytes), "one cell")))
		default:
			if first, dup := seen[name]; dup {
				errs = append(errs, fmt.Errorf("%s %q: duplicate column name (also column %s)", at, name, ColumnLetters(first)))
			} else {
				seen[name] = c
			}
		}
		cols.header[c] = len(cols.sheet)
		cols.sheet = append(cols.sheet, c)
		s.columns = append(s.columns, name)
	}
	s.cols = cols
	if len(s.columns) > s.lim.Columns {
		return fmt.Errorf("%s %s!%d: the header has %d columns, more than the limit of %d", s.file, s.sheet, s.line, len(s.columns), s.lim.Columns)
	}
	return errors.Join(errs...)
}

// checkSheet reads the shared strings table and the styles, checks the sizes of the sheet's
// parts against lim, and scans the sheet's XML (see xlsx_scan.go). It returns a *cellFault for
// a problem at a row or cell, and another error for a damaged shared strings table that no cell
// of the sheet reads past the damage. Without scan the sheet's XML is not read: the scan found
// is empty (no column holds data under the header, as far as it knows).
func checkSheet(b *book, sheet string, headerRow int, lim Limits, scan bool) (sharedStrings, numberKinds, *sheetScan, error) {
	part := b.sheetPart[sheet]
	switch typ := b.sheetType[sheet]; {
	case part == "":
		return sharedStrings{}, nil, nil, fmt.Errorf("no relationship leads to the XML of sheet %q", sheet)
	case typ != "worksheet":
		return sharedStrings{}, nil, nil, fmt.Errorf("it is a %s sheet, which holds no cells to read (the workbook has %s)", strings.TrimSuffix(typ, "sheet"), quoteList(b.sheets))
	}
	for _, p := range []struct{ name, what string }{{part, "one sheet's XML"}, {b.sharedStrings, "the shared strings"}} {
		if zf := b.wz.parts[p.name]; zf != nil && zf.UncompressedSize64 > uint64(lim.SheetXMLBytes) {
			return sharedStrings{}, nil, nil, fmt.Errorf("%s unpacks to %s, more than the %s limit for %s; refused as a possible zip bomb",
				p.name, declaredSize(zf.UncompressedSize64), formatBytes(lim.SheetXMLBytes), p.what)
		}
	}
	sst := sharedStrings{}
	if b.sharedStrings != "" {
		rc, err := b.wz.open(b.sharedStrings)
		if err != nil {
			return sst, nil, nil, err
		}
		sst, err = readSharedStrings(rc, b.sharedStrings, charsetReader)
		_ = rc.Close()
		if err != nil {
			return sst, nil, nil, err
		}
	}
	var styles numberKinds
	if b.styles != "" {
		rc, err := b.wz.open(b.styles)
		if err != nil {
			return sst, nil, nil, err
		}
		styles, err = readNumberKinds(rc, charsetReader)
		_ = rc.Close()
		if err != nil {
			return sst, nil, nil, fmt.Errorf("%s: %w", b.styles, err)
		}
	}
	if !scan {
		return sst, styles, &sheetScan{part: part}, nil
	}
	rc, err := b.wz.open(part)
	if err != nil {
		return sst, nil, nil, err
	}
	defer rc.Close()
	ahead := newReadAhead(rc, scanBlockSize, 2) // nothing else runs before the first row: inflate on another core
	defer ahead.Close()
	found, err := scanSheet(ahead, sst, headerRow)
	if err != nil {
		return sst, nil, nil, err
	}
	if sst.fault != nil {
		return sst, nil, nil, errors.New(sst.malformed() + ": no cell of the sheet can be read")
	}
	found.part = part
	return sst, styles, found, nil
}
