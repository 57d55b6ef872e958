package report

// Finding is one message about one record, placed where the data owner can see it: on the cell it
// came from when it has one, otherwise on the row. A record with several messages gives several
// findings; a message about several cells (a property mapped from two columns) gives one finding
// per cell.
type Finding struct {
	// Source is the job's name for the source; File the source file as the spec names it, and Path
	// where it is on this machine (for reading the original workbook).
	Source, File, Path string
	// Sheet is the XLSX sheet, empty for CSV and JSON sources.
	Sheet string
	// Line is the 1-based CSV line or Excel row of the row; 0 for a record as a whole (its
	// findings are then shown in the listing only).
	Line int
	// Column is the header name of the cell, and Index its 0-based position in the sheet or file;
	// Column is empty (and Index -1) for a finding about the row as a whole.
	Column string
	Index  int
	// Cell is the cell as messages name it ("Sites!C12", "orders.csv:12:qty"); Value its raw
	// value, cut to a readable length.
	Cell, Value string
	// Entity and UserObjectID name the record; Status is its status (invalid, failed, skipped,
	// unknown).
	Entity, UserObjectID, Status string
	// Code is the rule or server code ("type", "required", "Core_NotNullValidator"); Text the
	// message in words.
	Code, Text string
}

// OnCell reports whether the finding is about one cell rather than its row as a whole.
func (f Finding) OnCell() bool { return f.Column != "" && f.Index >= 0 }
