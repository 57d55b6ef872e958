package report

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"
)

// BenchmarkAnnotate annotates a 20,000-row, 6-column sheet with a finding on every second row
// (10,000 findings, a tenth of them on refused rows).
func BenchmarkAnnotate(b *testing.B) {
	dir := b.TempDir()
	src := filepath.Join(dir, "big.xlsx")
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	const rows = 20000
	for r := 1; r <= rows; r++ {
		cell, _ := excelize.CoordinatesToCellName(1, r)
		if err := sw.SetRow(cell, []any{fmt.Sprint("K", r), "name", r, 1.5, "x", true}); err != nil {
			b.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.SaveAs(src); err != nil {
		b.Fatal(err)
	}
	f.Close()
	var findings []Finding
	for r := 2; r <= rows; r += 2 {
		status := "invalid"
		if r%20 == 0 {
			status = "failed"
		}
		findings = append(findings, Finding{Source: "s", Sheet: "Sheet1", Line: r, Column: "c", Index: 2,
			Value: "v", Status: status, Code: "type", Text: "not a number", UserObjectID: fmt.Sprint("K", r)})
	}
	sources := []Source{{Name: "s", File: "big.xlsx", Path: src, Sheet: "Sheet1"}}
	b.ResetTimer()
	for b.Loop() {
		if _, err := Annotate(b.Context(), b.TempDir(), sources, findings); err != nil {
			b.Fatal(err)
		}
	}
}
