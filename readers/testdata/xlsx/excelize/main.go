// Command excelize writes the excelize fixtures of the XLSX reader's tests (make-fixtures.sh
// runs it): excelize.xlsx, a sheet whose dimension (A1:T200) is much larger than its data, with
// dates, millisecond date-times, booleans and numbers; and excelize1904.xlsx, the same in the
// 1904 date system.
//
//	go run ./readers/testdata/xlsx/excelize readers/testdata/xlsx
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/xuri/excelize/v2"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: excelize DIR")
		os.Exit(2)
	}
	for _, book := range []struct {
		name     string
		date1904 bool
	}{{"excelize.xlsx", false}, {"excelize1904.xlsx", true}} {
		if err := write(filepath.Join(os.Args[1], book.name), book.date1904); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}

func write(file string, date1904 bool) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &date1904}); err != nil {
		return err
	}
	const sheet = "Sites"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	day := "yyyy-mm-dd"
	ms := "yyyy-mm-dd hh:mm:ss.000"
	dayStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &day})
	if err != nil {
		return err
	}
	msStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &ms})
	if err != nil {
		return err
	}
	rows := [][]any{
		{"Code", "Opened", "At", "Active", "Qty"},
		{"S-1", time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC), time.Date(2024, 1, 2, 10, 30, 15, 123_000_000, time.UTC), true, 3},
		{"S-2", time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC), time.Date(1999, 12, 31, 23, 59, 59, 999_000_000, time.UTC), false, 0.25},
	}
	for i, row := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			return err
		}
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			return err
		}
	}
	for _, r := range []string{"2", "3"} {
		if err := f.SetCellStyle(sheet, "B"+r, "B"+r, dayStyle); err != nil {
			return err
		}
		if err := f.SetCellStyle(sheet, "C"+r, "C"+r, msStyle); err != nil {
			return err
		}
	}
	if err := f.SetSheetDimension(sheet, "A1:T200"); err != nil {
		return err
	}
	return f.SaveAs(file)
}
