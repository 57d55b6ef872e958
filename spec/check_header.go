package spec

import "strings"

// checkHeaderless checks that header_row: 0 (a file without a header row) and columns come
// together, and that the names columns gives are usable column names: none blank, none twice.
func checkHeaderless(s *Source, n *node, p *problems) {
	hr, cols := n.get("header_row"), n.get("columns")
	switch {
	case hr != nil && s.HeaderRow == 0 && cols == nil:
		p.add(hr.pos, hr.path, "header_row: 0 means the file has no header row; name its columns with columns: [...], in order")
	case cols != nil && s.HeaderRow != 0 && cols.kind == seqNode:
		p.add(n.keyPos("columns"), cols.path, "columns names the columns of a file without a header row; add header_row: 0, or leave columns out to take the names from row %d", s.HeaderRow)
	}
	if cols == nil || cols.kind != seqNode {
		return
	}
	first := map[string]int{}
	for i, it := range cols.items {
		name, ok := it.scalarString()
		if !ok || name == "" {
			continue // the schema reports it
		}
		if trimmed := strings.TrimSpace(name); trimmed != name {
			p.add(it.pos, it.path, "column name %q has white space around it; write %q", name, trimmed)
			continue
		}
		if at, dup := first[name]; dup {
			p.add(it.pos, it.path, "duplicate column name %q (also column %d)", name, at+1)
			continue
		}
		first[name] = i
	}
}
