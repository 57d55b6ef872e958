package record

// Row is one source row of a record: enough to find it again in its file and to name it.
type Row struct {
	Source string // the spec's source name
	Line   int    // the source line, or the Excel row
	Path   string // for JSON, the pointer of the row inside its document: "/Orderlines/2"
	Origin string // where the row is, as reports name it: "sites.xlsx Sites!12"
}

// Ref is the row without its name: the key a fix file looks rows up by.
func (r Row) Ref() RowRef { return RowRef{Source: r.Source, Line: r.Line, Path: r.Path} }

// RowRef is one source row: enough to find it again in its file.
type RowRef struct {
	Source string
	Line   int
	Path   string
}
