package report

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Fill colours of the annotated workbook: Excel's own "Bad" red for a cell with a finding, and a
// light amber for the other cells of a row that has a finding about the row as a whole or whose
// record the server refused.
const (
	CellFill = "FFC7CE"
	RowFill  = "FFEB9C"
)

// commentAuthor signs the comments bulkload adds.
const commentAuthor = "bulkload"

// markCells fills the cells of findings in f and returns the comments they get (written by
// writeNotes once f is saved); sheetOf names the sheet a finding is on. A cell's new style is its
// own style with the fill replaced, so its number format, font, borders and alignment stay. A
// comment the user already had on a cell is kept, with bulkload's messages after it. known gives
// the widths of the sheets (rowWidth) that the caller knows already, having written them.
func markCells(f *excelize.File, findings []Finding, sheetOf func(Finding) string, known map[string]int) (notes, error) {
	type place struct {
		sheet string
		line  int
	}
	cells := map[place]map[int][]Finding{} // per row: 0-based column -> its findings
	rowWide := map[place][]Finding{}       // per row: findings about the row as a whole
	marked := map[place]bool{}             // rows to fill in RowFill
	var order []place
	for _, fd := range findings {
		if fd.Line <= 0 {
			continue
		}
		p := place{sheetOf(fd), fd.Line}
		if cells[p] == nil {
			cells[p] = map[int][]Finding{}
			order = append(order, p)
		}
		if fd.OnCell() {
			cells[p][fd.Index] = append(cells[p][fd.Index], fd)
		} else {
			rowWide[p] = append(rowWide[p], fd)
			marked[p] = true
		}
		if fd.Status == "failed" {
			marked[p] = true
		}
	}
	st := newStyler(f)
	widths := map[string]int{}
	for sheet, w := range known {
		widths[sheet] = w
	}
	nb := notes{}
	for _, p := range order {
		idx, err := f.GetSheetIndex(p.sheet)
		if err != nil || idx < 0 {
			return nil, fmt.Errorf("sheet %q of a finding is not in the workbook", p.sheet)
		}
		width, ok := widths[p.sheet]
		if !ok {
			if width, err = rowWidth(f, p.sheet); err != nil {
				return nil, err
			}
			widths[p.sheet] = width
		}
		if nb[p.sheet] == nil {
			if nb[p.sheet], err = userComments(f, p.sheet); err != nil {
				return nil, err
			}
		}
		for col := range max(width, 1) {
			if _, bad := cells[p][col]; bad || !marked[p] {
				continue
			}
			if err := st.fill(p.sheet, col, p.line, RowFill); err != nil {
				return nil, err
			}
		}
		for col, fs := range cells[p] {
			if err := st.fill(p.sheet, col, p.line, CellFill); err != nil {
				return nil, err
			}
			if col == 0 {
				fs = append(fs, rowWide[p]...)
			}
			nb[p.sheet].add(col, p.line, fs)
		}
		if _, ok := cells[p][0]; !ok && len(rowWide[p]) > 0 {
			// Findings about the row go on its first cell, which keeps its row fill.
			nb[p.sheet].add(0, p.line, rowWide[p])
		}
	}
	return nb, nb.prepare(f)
}

// rowWidth is the number of columns of the sheet's widest row: the cells a row fill covers. It
// reads the cells rather than trusting the sheet's recorded dimension, which producers leave out
// or get wrong.
func rowWidth(f *excelize.File, sheet string) (int, error) {
	rows, err := f.Rows(sheet)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	width := 0
	for rows.Next() {
		cells, err := rows.Columns()
		if err != nil {
			return 0, err
		}
		width = max(width, len(cells))
	}
	return width, rows.Error()
}

// commentText renders findings for one comment: one paragraph per message, code first.
func commentText(fs []Finding) string {
	var b strings.Builder
	seen := map[string]bool{}
	for _, fd := range fs {
		line := fd.Text
		if fd.Code != "" {
			line = "[" + fd.Code + "] " + line
		}
		if !fd.OnCell() {
			line = "Row " + fmt.Sprint(fd.Line) + ": " + line
		}
		if fd.UserObjectID != "" {
			line += " (record " + fd.UserObjectID + ", " + fd.Status + ")"
		}
		if seen[line] {
			continue
		}
		seen[line] = true
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		b.WriteString(line)
	}
	return b.String()
}

// styler derives, once per original style and colour, a style that is the cell's own with a solid
// fill.
type styler struct {
	f       *excelize.File
	derived map[[2]any]int
}

func newStyler(f *excelize.File) *styler { return &styler{f: f, derived: map[[2]any]int{}} }

// fill gives the cell at 0-based column col of line its own style with a solid fill of colour.
func (s *styler) fill(sheet string, col, line int, colour string) error {
	cell, err := excelize.CoordinatesToCellName(col+1, line)
	if err != nil {
		return err
	}
	id, err := s.f.GetCellStyle(sheet, cell)
	if err != nil {
		return err
	}
	key := [2]any{id, colour}
	nid, ok := s.derived[key]
	if !ok {
		style, err := s.f.GetStyle(id)
		if err != nil {
			return err
		}
		style.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colour}}
		if nid, err = s.f.NewStyle(style); err != nil {
			return err
		}
		s.derived[key] = nid
	}
	return s.f.SetCellStyle(sheet, cell, cell, nid)
}
