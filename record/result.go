package record

// Result is what became of one record's request, as a target reads it from the answer: the
// record (by Seq), its Status (Succeeded, Failed, Unknown, or Pending for a record put back
// unsent), the answer's messages about it, and what the target said of it.
type Result struct {
	Seq      int64
	Status   Status
	Messages []Message
	Outcome
}

// CountStatus is how many of results have status.
func CountStatus(results []Result, status Status) int {
	n := 0
	for _, r := range results {
		if r.Status == status {
			n++
		}
	}
	return n
}
