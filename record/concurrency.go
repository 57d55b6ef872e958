package record

// Concurrency is summary.json's account of the requests in flight while sending: the configured
// value (submit.concurrency), the lowest and the final limit, and, when Adaptive, the answers 429
// or 503 that lowered it. Without Adaptive the limit is the configured value throughout.
type Concurrency struct {
	Configured int  `json:"configured"`
	Lowest     int  `json:"lowest"`
	Final      int  `json:"final"`
	Adaptive   bool `json:"adaptive"`
	Throttled  *int `json:"throttled,omitempty"` // only counted when Adaptive
}
