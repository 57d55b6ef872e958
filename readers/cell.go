package readers

// CellKind is what a spreadsheet cell holds, as its XML says: the schema's typing decides what
// each kind becomes in each column type. CSV cells and JSON strings are all KindText.
type CellKind uint8

const (
	// KindText is text: a CSV cell, a shared or inline string (rich text as its plain text), or a
	// formula's cached text result. An empty cell is KindText "".
	KindText CellKind = iota
	// KindNumber is a number whose style is not a date format; the value is the number as the
	// workbook stores it ("45000", "3.5", "1E-3").
	KindNumber
	// KindDate is a number styled with a date format that shows no time of day; the value is the
	// stored serial ("45293"), or for a cell of type "d" its ISO 8601 text.
	KindDate
	// KindDateTime is a number styled with a format that shows a time of day (with or without a
	// date); the value is the stored serial ("45293.5"), or for a cell of type "d" its ISO text.
	KindDateTime
	// KindBool is a boolean cell; the value is "TRUE" or "FALSE".
	KindBool
	// KindError is a formula error cell (type "e"); the value is the error as Excel shows it,
	// such as "#DIV/0!" or "#N/A".
	KindError
)

// String names the kind for messages: "text", "number", "date", "date-time", "boolean",
// "formula error".
func (k CellKind) String() string {
	switch k {
	case KindNumber:
		return "number"
	case KindDate:
		return "date"
	case KindDateTime:
		return "date-time"
	case KindBool:
		return "boolean"
	case KindError:
		return "formula error"
	}
	return "text"
}

// Kind returns the kind of the value of column i: Kinds[i] for an XLSX row, KindText for the
// rows of other sources (whose Kinds is nil) and for a column beyond Kinds.
func (r Row) Kind(i int) CellKind {
	if i < 0 || i >= len(r.Kinds) {
		return KindText
	}
	return r.Kinds[i]
}
