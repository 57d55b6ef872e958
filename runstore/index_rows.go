package runstore

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
)

// place is an origin without its line: the origin is prefix + line + suffix.
type place struct {
	source, prefix, suffix, path string
	noLine                       bool // the origin does not show its line: it is prefix
}

// furtherRow is a row joined to a distinct record besides its first.
type furtherRow struct {
	owner, place, line uint32
}

// Rows returns the rows of record seq besides its first (a distinct record's further rows, with
// those of the records merged into it), in the order the run store reports them: by line, then
// in the order they joined.
func (ix *Index) Rows(seq int64) []Row {
	idx, err := ix.idxOf(seq)
	if err != nil {
		return nil
	}
	rows := slices.Clone(ix.owned()[idx])
	slices.SortFunc(rows, func(a, b int) int { return cmp.Or(cmp.Compare(ix.rows[a].line, ix.rows[b].line), a-b) })
	out := make([]Row, 0, len(rows))
	for _, k := range rows {
		out = append(out, ix.row(ix.rows[k].place, ix.rows[k].line))
	}
	return out
}

// WithRows returns the seqs of the records that have further rows (Rows), ascending.
func (ix *Index) WithRows() []int64 {
	out := make([]int64, 0, len(ix.owned()))
	for idx, rows := range ix.owned() {
		if len(rows) > 0 {
			out = append(out, ix.seqOf(idx))
		}
	}
	slices.Sort(out)
	return out
}

// addRow joins a further row to record owner.
func (ix *Index) addRow(owner, place, line uint32) {
	if ix.rowsOf != nil {
		ix.rowsOf[owner] = append(ix.rowsOf[owner], len(ix.rows))
	}
	ix.rows = append(ix.rows, furtherRow{owner: owner, place: place, line: line})
}

// owned returns the further rows of each record, as indexes in rows, made once the first time
// they are asked for (Add only appends to rows).
func (ix *Index) owned() map[uint32][]int {
	if ix.rowsOf == nil {
		ix.rowsOf = map[uint32][]int{}
		for k, r := range ix.rows {
			ix.rowsOf[r.owner] = append(ix.rowsOf[r.owner], k)
		}
	}
	return ix.rowsOf
}

// moveRows makes record from's further rows, and from's own row, further rows of record to.
func (ix *Index) moveRows(from, to uint32, s slot) {
	rowsOf := ix.owned()
	rowsOf[to] = append(rowsOf[to], rowsOf[from]...)
	for _, k := range rowsOf[from] {
		ix.rows[k].owner = to
	}
	delete(rowsOf, from)
	ix.addRow(to, s.place, s.line)
}

// Row is one source row of a record.
type Row struct {
	Source string
	Origin string // "sites.xlsx Sites!12"
	Line   int
	Path   string
}

func (ix *Index) row(p, line uint32) Row {
	pl := ix.places.at(p)
	r := Row{Source: pl.source, Line: int(line), Path: pl.path, Origin: pl.prefix}
	if !pl.noLine {
		r.Origin = pl.prefix + strconv.FormatUint(uint64(line), 10) + pl.suffix
	}
	return r
}

// placeOf interns the origin of it without its line.
func (ix *Index) placeOf(it Item) uint32 {
	p := place{source: it.Source, path: it.OriginPath}
	rest, ok := strings.CutSuffix(it.Origin, it.OriginPath)
	if prefix, lined := cutLine(rest, it.OriginLine); ok && lined {
		p.prefix, p.suffix = prefix, it.Origin[len(rest):]
	} else {
		p.prefix, p.noLine = it.Origin, true
	}
	if ix.lastPlace.ok && ix.lastPlace.p == p { // rows of one file follow each other
		return ix.lastPlace.id
	}
	id := ix.places.id(p)
	ix.lastPlace.p, ix.lastPlace.id, ix.lastPlace.ok = p, id, true
	return id
}

// cutLine returns s without the decimal digits of line that end it, if they do.
func cutLine(s string, line int) (string, bool) {
	if line < 0 {
		return "", false
	}
	i := len(s)
	for {
		if i == 0 || s[i-1] != byte('0'+line%10) {
			return "", false
		}
		i, line = i-1, line/10
		if line == 0 {
			return s[:i], true
		}
	}
}
