package report

import (
	"html/template"
	"sort"
	"strconv"
	"time"
)

// statusOrder is the order statuses are shown in: problems first, then the rest.
var statusOrder = []string{"invalid", "failed", "unknown", "skipped", "pending", "valid", "succeeded"}

// problemStatus reports whether records of status s are listed in the table of problems.
func problemStatus(s string) bool {
	return s == "invalid" || s == "failed" || s == "skipped" || s == "unknown"
}

// view is everything the template shows, computed from a Page.
type view struct {
	Page     *Page
	Duration string
	// Statuses are the statuses that occur in Counts, in statusOrder (unknown ones last, sorted).
	Statuses []string
	// BySource, ByEntity and ByGroup count records per source, entity and entity × group (the
	// last only for a run to a target with groups); Total sums every count.
	BySource, ByEntity, ByGroup []countRow
	Total                       countRow
	Chart                       chart
	Top                         []problem
	// Findings is the number of findings and Records the number of records they are about.
	Findings, Records int
	CSS               template.CSS
	JS                template.JS
	Data              template.JS
}

// countRow is one line of a count table: its name, one count per view.Statuses, and their sum.
type countRow struct {
	Name   string
	Counts []int
	Total  int
}

func buildView(p *Page) (*view, error) {
	v := &view{Page: p, Findings: len(p.Findings)}
	if !p.Started.IsZero() && !p.Finished.IsZero() {
		v.Duration = p.Finished.Sub(p.Started).Round(time.Second).String()
	}
	v.Statuses = statuses(p.Counts)
	v.BySource = countBy(p.Counts, v.Statuses, func(t Tally) string { return t.Source })
	v.ByEntity = countBy(p.Counts, v.Statuses, func(t Tally) string { return t.Entity })
	if p.Mode == "run" && hasGroups(p.Counts) {
		v.ByGroup = countBy(p.Counts, v.Statuses, func(t Tally) string {
			if t.Group == 0 {
				return t.Entity
			}
			return t.Entity + " · group " + strconv.Itoa(t.Group)
		})
	}
	v.Total = countRow{Name: "all", Counts: make([]int, len(v.Statuses))}
	for _, r := range v.BySource {
		for i, n := range r.Counts {
			v.Total.Counts[i] += n
		}
		v.Total.Total += r.Total
	}
	v.Records = countRecords(p.Findings)
	v.Chart = buildChart(p.Findings)
	v.Top = topProblems(p.Findings, topProblemCount)
	var err error
	if v.CSS, v.JS, err = assets(); err != nil {
		return nil, err
	}
	if v.Data, err = encodeRows(p.Findings); err != nil {
		return nil, err
	}
	return v, nil
}

// statuses lists the statuses that occur in counts, known ones in statusOrder, others after them
// in alphabetical order.
func statuses(counts []Tally) []string {
	seen := map[string]bool{}
	for _, t := range counts {
		seen[t.Status] = true
	}
	var out []string
	for _, s := range statusOrder {
		if seen[s] {
			out = append(out, s)
			delete(seen, s)
		}
	}
	var rest []string
	for s := range seen {
		rest = append(rest, s)
	}
	sort.Strings(rest)
	return append(out, rest...)
}

// countBy sums counts per key, keeping the order in which keys first occur.
func countBy(counts []Tally, statuses []string, key func(Tally) string) []countRow {
	col := map[string]int{}
	for i, s := range statuses {
		col[s] = i
	}
	var rows []countRow
	at := map[string]int{}
	for _, t := range counts {
		k := key(t)
		i, ok := at[k]
		if !ok {
			i = len(rows)
			at[k] = i
			rows = append(rows, countRow{Name: k, Counts: make([]int, len(statuses))})
		}
		rows[i].Counts[col[t.Status]] += t.Records
		rows[i].Total += t.Records
	}
	return rows
}

// hasGroups reports whether any count is of a group (a target without groups gives them all 0).
func hasGroups(counts []Tally) bool {
	for _, t := range counts {
		if t.Group != 0 {
			return true
		}
	}
	return false
}

// recordKey names a record across sources and entities.
type recordKey struct{ source, entity, uoid string }

// countRecords counts the distinct records the findings are about. A finding without a
// userObjectId (one that could not be computed) counts as its own record per row.
func countRecords(fs []Finding) int {
	seen := map[recordKey]bool{}
	for _, f := range fs {
		k := recordKey{f.Source, f.Entity, f.UserObjectID}
		if f.UserObjectID == "" {
			k.uoid = "\x00" + f.File + "\x00" + f.Sheet + "\x00" + strconv.Itoa(f.Line)
		}
		seen[k] = true
	}
	return len(seen)
}
