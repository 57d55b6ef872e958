package spec

// Pos is a position in the spec file (1-based line and column; zero when unknown).
type Pos struct {
	Line int
	Col  int
}

// Job is a loaded, checked job spec with defaults applied and paths resolved.
type Job struct {
	// File is the spec's path as given; Dir is the absolute folder that holds it. Relative paths
	// in the spec are resolved against Dir and may not escape it.
	File string
	Dir  string

	Version  int
	Name     string
	Target   Target
	Submit   Submit
	Sources  []Source
	Lookups  []Lookup
	Entities []Entity
	Report   Report

	// SourceFiles are the sources' files replaced for this invocation (LoadWithSourceFiles), in
	// the order given; nil when none.
	SourceFiles []SourceFile
}

// Source finds a source by name.
func (j *Job) Source(name string) (*Source, bool) {
	for i := range j.Sources {
		if j.Sources[i].Name == name {
			return &j.Sources[i], true
		}
	}
	return nil, false
}

// Entity finds an entity mapping by name.
func (j *Job) Entity(name string) (*Entity, bool) {
	for i := range j.Entities {
		if j.Entities[i].Name == name {
			return &j.Entities[i], true
		}
	}
	return nil, false
}

// Target kinds.
const (
	OnKey    = "onkey"
	OnixWork = "onixwork"
)

// Target says where records go.
type Target struct {
	Kind string // OnKey or OnixWork
	URL  string // base URL; for On Key without /api/tenants/...
	// On Key only.
	Tenant     string
	Connection string
	Method     string // verb for the imports endpoint: POST (default), PUT or PATCH
	Auth       Auth
	Pos        Pos
}

// Auth says how to authenticate. Secrets are never in the spec: only the names of the
// environment variables (or files) that hold them.
type Auth struct {
	// Kind: "bearer" (a static token from TokenEnv/TokenFile), "client_credentials" (OAuth2:
	// TokenURL, ClientIDEnv, ClientSecretEnv, Scopes), "password" (Onix Work short-lived token:
	// UsernameEnv, PasswordEnv), "key" (Onix Work long-lived token from TokenEnv/TokenFile), or
	// "none".
	Kind            string
	TokenEnv        string
	TokenFile       string
	TokenURL        string
	ClientIDEnv     string
	ClientSecretEnv string
	Scopes          []string
	UsernameEnv     string
	PasswordEnv     string
	// TokenLifetime is how long a "password" token lasts, a Go duration (default "60m").
	TokenLifetime string
}

// Submit says how records are sent.
type Submit struct {
	BatchSize   int     // records per On Key import request (default 100)
	Concurrency int     // requests in flight (default 4)
	Mode        string  // On Key: PerRecord (default) or AllOrNone
	Ordered     bool    // On Key: ?ordered=true (default true)
	Async       bool    // On Key: ?async=true
	Rate        float64 // requests per second, 0 for no limit
	MaxErrors   int     // abort after this many failed records, 0 for no limit
	// Breaker stops a run whose first requests all fail the same way (default true).
	Breaker bool
	Retries int    // attempts after the first for retryable outcomes (default 5)
	Timeout string // per request, a Go duration (default "60s")
	// Adaptive lets the requests in flight follow the target (default true): halved on 429 or
	// 503, one more per window of clean answers, between 1 and Concurrency (then the most).
	// False keeps Concurrency.
	Adaptive bool
}

// Source is one stream of rows: a CSV file, one sheet of an XLSX workbook, or JSON documents.
type Source struct {
	Name string
	// Path is the file (or, for JSON, a folder of .json files) as written in the spec, relative to
	// the spec's folder; File is its absolute, checked path.
	Path string
	File string
	// Format is csv, xlsx, json or jsonl (default: from the file extension; a folder is json).
	Format string

	// CSV.
	Delimiter string // one of "," ";" "\t" "|"; empty means detect from the header line
	Encoding  string // utf-8 (default; UTF-16 with a BOM is recognised), windows-1252, iso-8859-1

	// XLSX.
	Sheet      string // sheet name
	SheetIndex int    // 1-based sheet position, used when Sheet is empty; 0 means the active sheet

	// CSV and XLSX: the 1-based row that holds the column names (default 1); rows above it are
	// ignored. 0 (in a spec: only together with Columns) means the file has no header row.
	HeaderRow int
	// Columns, when set, names the columns of a file without a header row (header_row: 0): the
	// first row is data.
	Columns []string

	// JSON: a path of object keys to a nested array whose elements become the rows, each keeping
	// its parent's row (e.g. ["Orderlines"]). Empty: each document (or array element) is a row.
	Explode []string

	// Limits bound what the reader accepts from a CSV or XLSX file.
	Limits Limits

	// Schema is the absolute path of the JSON Schema every row must satisfy; its "properties"
	// decide each column's type.
	Schema string
	// Typing controls how text cells become typed values.
	Typing Typing
	Pos    Pos
}

// Empty-cell treatments.
const (
	EmptyAbsent = "absent" // the property is left out of the row (default)
	EmptyNull   = "null"   // the property is null
	EmptyString = "string" // the property is ""
)

// Typing controls how a text cell becomes a typed value.
type Typing struct {
	Empty string // EmptyAbsent (default), EmptyNull or EmptyString
	// Decimal is the decimal separator ("." default, or ","); Thousands lists the grouping
	// separators accepted and removed (such as " ", "." or "'"; a no-break space is always
	// accepted along with a space).
	Decimal   string
	Thousands string
	// DateLayouts and DateTimeLayouts are Go time layouts tried in order, after ISO 8601
	// (2006-01-02 and RFC 3339), for format: date and format: date-time columns.
	DateLayouts     []string
	DateTimeLayouts []string
	// TrueWords and FalseWords are the case-insensitive words for boolean columns (default
	// true/false, yes/no, y/n, 1/0).
	TrueWords  []string
	FalseWords []string
	// Trim removes surrounding white space from text cells before typing (default true).
	Trim bool
}

// Entity is one mapping from a source's rows to API records.
type Entity struct {
	Name   string
	Source string

	// On Key import records.
	EntityType string
	Action     string // Create, Update, Delete or Merge
	ID         *Value // literal id or converter expression; required for Update, Delete, Merge
	GroupOrder int    // default 1

	// Onix Work: the endpoint path under the base URL, such as "/v1/orders".
	Endpoint string

	// UserObjectID is the expression that keys each record; it must be unique in the run
	// unless Distinct is set.
	UserObjectID *Value
	// Distinct: rows that produce the same userObjectId build one record (an order from its line
	// rows); they must agree on every field.
	Distinct bool
	// SendWithoutChildren (Onix Work): the entity's record is sent even when every record that
	// names it as parent is invalid; by default it is then skipped.
	SendWithoutChildren bool
	// When, if set, is a boolean expression; rows for which it is false produce no record.
	When *Value
	// Parent, if set, names the entity whose record must succeed before this one is sent.
	Parent *ParentRef
	// Properties is the record's payload: an object whose leaves are expressions or literals.
	Properties *Value
	Pos        Pos
}

// ParentRef links a child record to its parent record.
type ParentRef struct {
	Entity string
	// UserObjectID evaluates, for a child row, to the userObjectId of its parent record.
	UserObjectID *Value
}

// Value is a node of a mapping: an expression, a literal, an object or an array.
type Value struct {
	// Expr is an expression (a YAML string). Exactly one of Expr, Literal (non-nil or IsNull),
	// Fields and Items describes the node.
	Expr    string
	Literal any // a YAML number or boolean
	IsNull  bool
	Fields  []Field // an object, in spec order
	Items   []*Value
	IsArray bool
	Pos     Pos
}

// Field is one member of an object Value.
type Field struct {
	Name  string
	Value *Value
}

// Lookup is a CSV lookup table used by mapping expressions: lookup("name", key) returns the Value
// column of the first row whose Key column equals key.
type Lookup struct {
	Name      string
	Path      string // as written, relative to the spec's folder
	File      string // absolute, checked path
	Key       string // key column (default: the first column)
	Value     string // value column (default: the second column)
	Delimiter string // as for Source; empty means detect
	Encoding  string // as for Source
	Pos       Pos
}

// Report says where run directories go.
type Report struct {
	Dir string // default "runs" beside the spec
}

// Limits bound what a reader accepts from one file, against hostile or damaged input. A zero
// field means the reader's default (see package readers).
type Limits struct {
	WorkbookBytes int64 // XLSX: the whole workbook, unpacked
	SheetBytes    int64 // XLSX: one sheet's XML, or the shared strings, unpacked
	CellBytes     int64 // CSV, XLSX: one cell
	RecordBytes   int64 // CSV: one record as it stands in the file
	Columns       int   // CSV, XLSX: the header's columns
}

// ValidationOnly reports whether the job has no entities: its rows are only typed and validated
// against their schemas (each row one record), and it cannot be run, only validated.
func (j *Job) ValidationOnly() bool { return len(j.Entities) == 0 }
