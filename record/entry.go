package record

import "encoding/json"

// Entry is one record as the run knows it: where it came from, the body that goes into its
// request, its status and messages, and what the target answered.
type Entry struct {
	Seq          int64 // the order of the rows that produced the records
	UserObjectID string
	Entity       string // the spec's entity (mapping) name
	Kind         string // the target kind: onkey | onixwork
	EntityType   string
	Action       string
	Endpoint     string
	GroupOrder   int
	Parent       string // the parent record's userObjectId
	// Distinct records may be built from several rows, which must agree.
	Distinct bool
	Status   Status
	Body     json.RawMessage
	// Env is, for a record whose mapping reads its parent's result, the row it was mapped from
	// ({"row", "outer"} as JSON), to map it again once the parent is sent; nil for the others.
	Env        json.RawMessage
	Source     string // the spec's source name
	Origin     string // where its first row is: "sites.xlsx Sites!12"
	OriginLine int
	OriginPath string
	Messages   []Message
	// Rows lists every row that built the record, the first one included.
	Rows []string
	// Further locates the rows after the first (Rows[1:], in that order): what a fix file and
	// an annotated workbook need to find them again.
	Further []RowRef
	Outcome
}

// Outcome is what the target answered about a record.
type Outcome struct {
	ServerID   string
	Version    int64
	HTTPStatus int
	Attempts   int
	DurationMS int64
}

// RowRef is one source row of a record: enough to find it again in its file.
type RowRef struct {
	Source string // the spec's source name
	Line   int    // the 1-based line or Excel row
	Path   string // for a JSON source, where in the document the row is
}
