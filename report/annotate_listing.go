package report

import (
	"fmt"
	"sort"
	"strings"

	"github.com/xuri/excelize/v2"
)

// ListingSheet is the name of the sheet Annotate puts first in each annotated workbook.
const ListingSheet = "bulkload"

// ListingHeader is the header row of the listing of findings on the ListingSheet.
var ListingHeader = []string{"Sheet", "Cell", "Column", "Value", "Status", "Code", "Message", "Record"}

// addListing inserts the ListingSheet before the user's sheets, keeping the sheet the user had
// active: a title, the count of findings per sheet and column, then every finding with a link
// to its cell (to the row's first cell for a finding about the row; none for a finding about a
// record as a whole).
func addListing(f *excelize.File, file string, findings []Finding, sheetOf func(Finding) string) error {
	name := ListingSheet
	for n := 2; sheetExists(f, name); n++ {
		name = fmt.Sprintf("%s (%d)", ListingSheet, n)
	}
	first := f.GetSheetList()[0]
	active := f.GetSheetName(f.GetActiveSheetIndex())
	scoped, err := takeLocalNames(f)
	if err != nil {
		return err
	}
	if _, err := f.NewSheet(name); err != nil {
		return err
	}
	if err := f.MoveSheet(name, first); err != nil {
		return err
	}
	for _, dn := range scoped {
		if err := f.SetDefinedName(&dn); err != nil {
			return err
		}
	}
	idx, err := f.GetSheetIndex(active)
	if err != nil {
		return err
	}
	f.SetActiveSheet(idx)

	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	link, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Color: "0563C1", Underline: "single"}})
	if err != nil {
		return err
	}
	records := map[string]bool{}
	for _, fd := range findings {
		records[fd.Source+"\x00"+fd.UserObjectID] = true
	}
	row := 1
	put := func(style int, values ...any) error {
		cell, _ := excelize.CoordinatesToCellName(1, row)
		if err := f.SetSheetRow(name, cell, &values); err != nil {
			return err
		}
		if style != 0 {
			end, _ := excelize.CoordinatesToCellName(len(values), row)
			if err := f.SetCellStyle(name, cell, end, style); err != nil {
				return err
			}
		}
		row++
		return nil
	}
	if err := put(bold, "bulkload: "+file); err != nil {
		return err
	}
	if err := put(0, fmt.Sprintf("%d finding(s) on %d record(s). Red cells have a message (in their comment); amber rows were refused by the server or have a message about the row as a whole. Click a cell reference to go to it.", len(findings), len(records))); err != nil {
		return err
	}
	row++
	if err := put(bold, "Sheet", "Column", "Findings"); err != nil {
		return err
	}
	for _, c := range countByColumn(findings, sheetOf) {
		if err := put(0, c.sheet, c.column, c.n); err != nil {
			return err
		}
	}
	row++
	if err := put(bold, toAny(ListingHeader)...); err != nil {
		return err
	}
	for _, fd := range findings {
		sheet := sheetOf(fd)
		cell := ""
		if fd.Line > 0 {
			col := 0
			if fd.OnCell() {
				col = fd.Index
			}
			cell, _ = excelize.CoordinatesToCellName(col+1, fd.Line)
		}
		column := fd.Column
		if !fd.OnCell() {
			column = "(row)"
			if fd.Line == 0 {
				column = "(record)"
			}
		}
		if err := put(0, sheet, cell, column, fd.Value, fd.Status, fd.Code, fd.Text, fd.UserObjectID); err != nil {
			return err
		}
		if cell == "" {
			continue
		}
		at, _ := excelize.CoordinatesToCellName(2, row-1)
		if err := f.SetCellHyperLink(name, at, Location(sheet, cell), "Location"); err != nil {
			return err
		}
		if err := f.SetCellStyle(name, at, at, link); err != nil {
			return err
		}
	}
	for col, width := range map[string]float64{"A": 16, "B": 10, "C": 18, "D": 18, "E": 10, "F": 22, "G": 80, "H": 16} {
		if err := f.SetColWidth(name, col, col, width); err != nil {
			return err
		}
	}
	return nil
}

// Location is a hyperlink location inside the workbook: the sheet name always quoted, a quote
// in it doubled ("'Site list'!C12"), as Excel writes it.
func Location(sheet, cell string) string {
	return "'" + strings.ReplaceAll(sheet, "'", "''") + "'!" + cell
}

type columnCount struct {
	sheet, column string
	n             int
}

// countByColumn counts findings per sheet and column, most first; findings about a row or a
// record count under "(row)" and "(record)".
func countByColumn(findings []Finding, sheetOf func(Finding) string) []columnCount {
	n := map[[2]string]int{}
	for _, fd := range findings {
		col := fd.Column
		switch {
		case fd.OnCell():
		case fd.Line == 0:
			col = "(record)"
		default:
			col = "(row)"
		}
		n[[2]string{sheetOf(fd), col}]++
	}
	out := make([]columnCount, 0, len(n))
	for k, v := range n {
		out = append(out, columnCount{k[0], k[1], v})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].n != out[j].n {
			return out[i].n > out[j].n
		}
		if out[i].sheet != out[j].sheet {
			return out[i].sheet < out[j].sheet
		}
		return out[i].column < out[j].column
	})
	return out
}

func sheetExists(f *excelize.File, name string) bool {
	for _, s := range f.GetSheetList() {
		if strings.EqualFold(s, name) {
			return true
		}
	}
	return false
}

// takeLocalNames removes and returns the defined names scoped to one sheet (print areas,
// filters): the workbook records their sheet by position, which inserting a sheet shifts, so
// they are set again, by sheet name, once the listing is in place.
func takeLocalNames(f *excelize.File) ([]excelize.DefinedName, error) {
	var out []excelize.DefinedName
	for _, dn := range f.GetDefinedName() {
		if dn.Scope == "" || dn.Scope == "Workbook" {
			continue
		}
		if err := f.DeleteDefinedName(&excelize.DefinedName{Name: dn.Name, Scope: dn.Scope}); err != nil {
			return nil, err
		}
		out = append(out, dn)
	}
	return out, nil
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
