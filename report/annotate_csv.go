package report

import (
	"context"
	"strings"

	"github.com/xuri/excelize/v2"
)

// maxSheetName is the longest sheet name Excel opens without a repair prompt.
const maxSheetName = 31

// sheetName is the sheet a CSV source's rows go on: the source's name, without the characters
// a sheet name cannot hold and cut to 31 characters.
func sheetName(source string) string {
	s := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '_'
		}
		return r
	}, source)
	s = strings.Trim(s, "'")
	if r := []rune(s); len(r) > maxSheetName {
		s = string(r[:maxSheetName])
	}
	if s == "" {
		s = "Sheet1"
	}
	return s
}

// workbookFromRows builds a workbook from CSV sources: one sheet per source, named after it,
// each row on the row of its line, every cell text (and formatted as text, so that Excel keeps
// "0012" as typed when the user edits it).
func workbookFromRows(ctx context.Context, sources []Source) (*excelize.File, map[string]int, error) {
	f := excelize.NewFile()
	widths := map[string]int{}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49})
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	for i, s := range sources {
		name := sheetName(s.Name)
		if i == 0 {
			err = f.SetSheetName("Sheet1", name)
		} else {
			_, err = f.NewSheet(name)
		}
		if err != nil {
			f.Close()
			return nil, nil, err
		}
		width, filled := 0, 0 // the widest row, and the widest up to its last cell with a value
		err = s.Rows(ctx, func(line int, cells []string) error {
			values := make([]any, len(cells))
			for i, c := range cells {
				values[i] = c
			}
			width = max(width, len(cells))
			for w := len(cells); w > filled; w-- {
				if cells[w-1] != "" {
					filled = w
				}
			}
			cell, err := excelize.CoordinatesToCellName(1, line)
			if err != nil {
				return err
			}
			return f.SetSheetRow(name, cell, &values)
		})
		if err == nil && width > 0 {
			last, _ := excelize.ColumnNumberToName(width)
			err = f.SetColStyle(name, "A:"+last, text)
		}
		if err != nil {
			f.Close()
			return nil, nil, err
		}
		widths[name] = filled // what rowWidth reads of the sheet
	}
	return f, widths, nil
}
