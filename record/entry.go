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
	// Distinct is true for a record built from every row of its key (one per userObjectId).
	Distinct bool
	Status   Status
	Body     json.RawMessage
	// Env is set for a record whose mapping reads its parent's result (parent.id): the row it
	// was mapped from, as JSON {row, outer}, kept so that it can be mapped again once the parent
	// is sent. Nil for most records.
	Env        json.RawMessage
	Source     string // the spec's source name
	Origin     string // where its first row is: "sites.xlsx Sites!12"
	OriginLine int
	OriginPath string
	Messages   []Message
	// Rows lists every row that built the record, the first one included.
	Rows []string
	// Further are the rows after the first that built the record (a distinct record's), in the
	// order they were joined to it (Rows[1:] when read back), with what finds each in its file:
	// what the run store is given to store, and what a fix file and an annotated workbook need
	// to find them again.
	Further []Row
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
