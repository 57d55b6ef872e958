package report

import (
	"bufio"
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"time"
)

// Page is what report.html shows of one dry run or run. The pipeline builds it from the run
// store once every record has its final status:
//
//	p := report.Page{Job: job.Name, Spec: job.File, Mode: "dry-run", Started: t0, Finished: t1}
//	for each source:  p.Files = append(p.Files, report.SourceFile{Source: name, File: file, Sheet: sheet, Rows: rows})
//	SELECT source, entity, group_order, status, count(*) FROM records GROUP BY 1, 2, 3, 4
//	                  -> one report.Tally per result row in p.Counts
//	the []Finding of the records that are invalid, failed, skipped or unknown -> p.Findings
//	err := report.WriteHTML(filepath.Join(runDir, "report.html"), p)
//
// Files are listed in the order given, and the rows of each count table in the order their source,
// entity or group first occurs in Counts. The table of findings opens in the order of Findings
// (its Cell heading sorts back to it), so give them in row order: by source, line, then column.
type Page struct {
	// Job is the job's name and Spec the spec file it was read from.
	Job, Spec string
	// Mode is "dry-run" or "run".
	Mode string
	// Target names what was (or would have been) written to, e.g. an On Key base URL without
	// credentials; may be empty.
	Target string
	// Started and Finished bound the run; a zero Finished shows as "not finished".
	Started, Finished time.Time
	// Files are the files read, one per source.
	Files []SourceFile
	// Counts are the records counted per source, entity, group and status.
	Counts []Tally
	// Findings are the messages about the records that are invalid, failed, skipped or unknown.
	Findings []Finding
}

// SourceFile is one source of the job and the file it was read from.
type SourceFile struct {
	// Source is the job's name for the source, File the file as the spec names it, and Sheet the
	// XLSX sheet (empty for CSV and JSON).
	Source, File, Sheet string
	// Rows is the number of data rows read.
	Rows int
}

// Tally is how many records of one source and entity, in one group, have one status.
type Tally struct {
	Source, Entity string
	// Group is the record's group order (an On Key import batch's groupOrder); 0 when the target
	// has no groups.
	Group int
	// Status is the record's status: valid, invalid, skipped, pending, unknown, succeeded, failed.
	Status  string
	Records int
}

//go:embed html/page.tmpl html/style.css html/script.js
var htmlFiles embed.FS

var pageTemplate = template.Must(template.New("page.tmpl").Funcs(template.FuncMap{
	"num":           formatCount,
	"pct":           func(f float64) string { return fmt.Sprintf("%.2f", f) },
	"when":          formatTime,
	"dict":          dict,
	"problemStatus": problemStatus,
}).ParseFS(htmlFiles, "html/page.tmpl"))

// WriteHTML writes p as one self-contained HTML file at path: its styles, script, chart and data
// are all inside it, and it loads nothing from anywhere. The file is written beside path under a
// temporary name and renamed into place, so path holds either the previous file or a complete one.
// Every value and message in p is escaped; none can close the data block or run as markup.
func WriteHTML(path string, p Page) error {
	v, err := buildView(&p)
	if err != nil {
		return fmt.Errorf("report.html: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("report.html: %w", err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	w := bufio.NewWriterSize(tmp, 1<<16)
	if err := pageTemplate.Execute(w, v); err != nil {
		tmp.Close()
		return fmt.Errorf("report.html: %w", err)
	}
	if err := w.Flush(); err != nil {
		tmp.Close()
		return fmt.Errorf("report.html: writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("report.html: writing %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("report.html: %w", err)
	}
	return nil
}

func assets() (css template.CSS, js template.JS, err error) {
	c, err := htmlFiles.ReadFile("html/style.css")
	if err != nil {
		return "", "", err
	}
	j, err := htmlFiles.ReadFile("html/script.js")
	if err != nil {
		return "", "", err
	}
	return template.CSS(c), template.JS(j), nil
}

// formatCount writes n with thin grouping: 100000 -> "100,000".
func formatCount(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + formatCount(-n)
	}
	var b bytes.Buffer
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// dict makes a map of its key, value arguments, so a template can pass several to another.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: %d arguments, want pairs", len(kv))
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return "not finished"
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}
