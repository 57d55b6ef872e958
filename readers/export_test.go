package readers

import (
	"errors"
	"io"
	"strconv"
)

// SheetCell is one non-empty cell as the XLSX reader reads it, for the tests of package
// readers_test.
type SheetCell struct {
	Ref   string
	Kind  CellKind
	Value string
}

// ReadAllCells reads every non-empty cell of every sheet of the workbook file, in the sheets'
// order, without headers: what TestXLSXConformance compares with openpyxl's reading.
func ReadAllCells(file string) (sheets []string, cells map[string][]SheetCell, dates DateSystem, err error) {
	lim, _ := DefaultLimits.resolve()
	wz, err := openWorkbookZip(file, file, lim)
	if err != nil {
		return nil, nil, 0, err
	}
	defer wz.Close()
	b, err := readBook(wz)
	if err != nil {
		return nil, nil, 0, err
	}
	cells = map[string][]SheetCell{}
	for _, sheet := range b.sheets {
		sst, styles, scan, err := checkSheet(b, sheet, 0, lim, true)
		if err != nil {
			return nil, nil, 0, err
		}
		rc, err := wz.open(scan.part)
		if err != nil {
			return nil, nil, 0, err
		}
		part := scan.part
		rows := newSheetRows(rc, sst.texts, styles, charsetReader, func() (io.Reader, error) {
			_ = rc.Close()
			var err error
			rc, err = wz.open(part)
			return rc, err
		})
		list := []SheetCell{}
		for {
			r, err := rows.next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				_ = rc.Close()
				return nil, nil, 0, err
			}
			if r.problem != nil {
				_ = rc.Close()
				return nil, nil, 0, r.problem
			}
			for c, v := range r.values {
				if v != "" {
					list = append(list, SheetCell{Ref: ColumnLetters(c) + strconv.Itoa(r.line), Kind: r.kinds[c], Value: v})
				}
			}
		}
		_ = rc.Close()
		cells[sheet] = list
	}
	return b.sheets, cells, b.dates, nil
}
