package report

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/xuri/excelize/v2"
)

// AnnotatedDir is the folder of the run directory that holds the annotated workbooks.
const AnnotatedDir = "annotated"

// Source is one source of the job whose file can be annotated: an XLSX sheet or a CSV file.
type Source struct {
	// Name, File and Path are as in Finding; Sheet is the sheet the source reads (XLSX only).
	Name, File, Path, Sheet string
	// Rows, for a CSV source, calls row with the header and then each row of the file as text,
	// with its 1-based line, in file order. Nil for an XLSX source, whose workbook is opened
	// itself.
	Rows func(ctx context.Context, row func(line int, cells []string) error) error
}

// Annotate writes, into dir/annotated, one workbook for each source file that has a finding: a
// copy of the user's own workbook (for an XLSX file: every sheet, cell, style, formula and column
// width as it was; for a CSV file: a workbook of its rows as text, one sheet per source named
// after the source), with each cell that has a finding filled and carrying a comment with its
// messages, the other cells of a row whose record failed or whose finding names no cell filled in
// a second colour, and a first sheet "bulkload" listing every finding with a link to its cell.
// Several sources of one file give one workbook. Each workbook is written under a temporary name
// and renamed, so it appears whole or not at all. Annotate returns the files it wrote, relative to
// dir, sorted, and removes any other file of dir/annotated (left by an earlier rendering of the
// run). Findings of sources not in sources (JSON sources) are ignored.
func Annotate(ctx context.Context, dir string, sources []Source, findings []Finding) ([]string, error) {
	byName := map[string]Source{}
	for _, s := range sources {
		byName[s.Name] = s
	}
	type book struct {
		path     string
		sources  []Source
		findings []Finding
	}
	books := map[string]*book{}
	for _, f := range findings {
		s, ok := byName[f.Source]
		if !ok {
			continue
		}
		b := books[s.Path]
		if b == nil {
			b = &book{path: s.Path}
			books[s.Path] = b
		}
		if !hasSource(b.sources, s.Name) {
			b.sources = append(b.sources, s)
		}
		b.findings = append(b.findings, f)
	}
	paths := make([]string, 0, len(books))
	for p := range books {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	out := filepath.Join(dir, AnnotatedDir)
	if len(paths) == 0 {
		// A run rendered again (resumed) may have had findings the first time.
		if err := os.RemoveAll(out); err != nil {
			return nil, fmt.Errorf("annotated workbook: %w", err)
		}
		return nil, nil
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, fmt.Errorf("annotated workbook: %w", err)
	}
	used := map[string]bool{}
	var written []string
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			return written, err
		}
		b := books[p]
		name := annotatedName(b.sources[0], used)
		if err := annotateBook(ctx, filepath.Join(out, name), b.sources, b.findings); err != nil {
			return written, fmt.Errorf("annotated workbook for %s: %w", b.sources[0].File, err)
		}
		written = append(written, filepath.Join(AnnotatedDir, name))
	}
	return written, removeStale(out, used)
}

// removeStale removes the workbooks of out that were not written now (names, lower case): those
// of an earlier rendering of the run whose source files have no findings any more.
func removeStale(out string, names map[string]bool) error {
	entries, err := os.ReadDir(out)
	if err != nil {
		return fmt.Errorf("annotated workbook: %w", err)
	}
	for _, e := range entries {
		if !names[strings.ToLower(e.Name())] {
			if err := os.RemoveAll(filepath.Join(out, e.Name())); err != nil {
				return fmt.Errorf("annotated workbook: %w", err)
			}
		}
	}
	return nil
}

func hasSource(ss []Source, name string) bool {
	for _, s := range ss {
		if s.Name == name {
			return true
		}
	}
	return false
}

// annotatedName is the file name of a source file's annotated workbook: the workbook's own name
// ("sites.xlsx", "costs.xlsm": a macro workbook stays one), or the CSV file's name with ".xlsx"
// added ("orders.csv.xlsx"), with "-2", "-3" before the extension when two source files of the
// job share a name.
func annotatedName(s Source, used map[string]bool) string {
	base := filepath.Base(s.Path)
	ext := strings.ToLower(filepath.Ext(base))
	if s.Rows != nil || (ext != ".xlsx" && ext != ".xlsm") {
		base, ext = base+".xlsx", ".xlsx"
	}
	name := base
	for n := 2; used[strings.ToLower(name)]; n++ {
		name = fmt.Sprintf("%s-%d%s", base[:len(base)-len(ext)], n, ext)
	}
	used[strings.ToLower(name)] = true
	return name
}

// annotateBook writes the annotated copy of one source file to path.
func annotateBook(ctx context.Context, path string, sources []Source, findings []Finding) error {
	var f *excelize.File
	var widths map[string]int // of the sheets, where known
	var err error
	if sources[0].Rows != nil {
		f, widths, err = workbookFromRows(ctx, sources)
	} else {
		f, err = openOwnWorkbook(sources[0].Path)
	}
	if err != nil {
		return err
	}
	defer f.Close()
	sortFindings(findings)
	sheetOf := func(fd Finding) string { return fd.Sheet }
	if sources[0].Rows != nil {
		sheetOf = func(fd Finding) string { return sheetName(fd.Source) }
	}
	nb, err := markCells(f, findings, sheetOf, widths)
	if err != nil {
		return err
	}
	if err := addListing(f, sources[0].File, findings, sheetOf); err != nil {
		return err
	}
	// excelize picks the package's content types from the extension: the temporary name keeps it.
	tmp := filepath.Join(filepath.Dir(path), ".tmp-"+filepath.Base(path))
	if err := f.SaveAs(tmp); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := writeNotes(tmp, nb); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}

// sortFindings orders findings by sheet (or CSV source), row and column, a record's findings about no row last.
func sortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Source != b.Source && a.Sheet == b.Sheet {
			return a.Source < b.Source
		}
		if a.Sheet != b.Sheet {
			return a.Sheet < b.Sheet
		}
		if (a.Line == 0) != (b.Line == 0) {
			return b.Line == 0
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Index < b.Index
	})
}
