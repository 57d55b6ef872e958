package sandbox

import (
	"encoding/json"
	"net/http"
	"slices"
	"time"
)

// Request is one request the sandbox received, as Requests and GET /_sandbox/requests give it.
type Request struct {
	Seq  int       `json:"seq"` // 1-based, in arrival order
	Time time.Time `json:"time"`
	// Done is when the sandbox finished with the call: its answer written, or the connection
	// reset. Zero while in flight.
	Done   time.Time `json:"done"`
	Method string    `json:"method"`
	Path   string    `json:"path"`
	Query  string    `json:"query,omitempty"`
	// Status is the status the sandbox decided (0 while in flight or when the connection was
	// reset before an answer). With FaultDropResponse it is the status of the answer dropped.
	Status int `json:"status"`
	// UserObjectIDs are the userObjectIds of the body's records in body order (imports, batch
	// create, exists checks), and GroupOrders their groupOrders (imports; 0 when absent).
	UserObjectIDs []string `json:"userObjectIds,omitempty"`
	GroupOrders   []int64  `json:"groupOrders,omitempty"`
	// Fault is the fault applied (a Fault... constant) or "".
	Fault string `json:"fault,omitempty"`
	// Latency is the delay injected (faults.latency + jitter).
	Latency          time.Duration `json:"latency,omitempty"`
	BackgroundTaskID int64         `json:"backgroundTaskId,omitempty"` // async requests
}

// MarshalJSON writes Latency as a duration string ("25ms").
func (r Request) MarshalJSON() ([]byte, error) {
	type plain Request
	var lat string
	if r.Latency > 0 {
		lat = r.Latency.String()
	}
	return json.Marshal(struct {
		plain
		Latency string `json:"latency,omitempty"`
	}{plain(r), lat})
}

// begin logs the arrival of r; api calls also get their 0-based API call number.
func (s *Server) begin(r *http.Request, api bool) (*Request, uint64) {
	s.state.Lock()
	defer s.state.Unlock()
	s.logged++
	e := &Request{Seq: s.logged, Time: s.now(), Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery}
	if keep := s.cfg.LogRequests; len(s.log) >= 2*keep {
		s.log = append(make([]*Request, 0, 2*keep), s.log[len(s.log)-keep+1:]...) // drop the oldest, now and then
	}
	s.log = append(s.log, e)
	seq := s.apiSeq
	if api {
		s.apiSeq++
	}
	return e, seq
}

// noteEntry changes e under the lock that guards the log.
func (s *Server) noteEntry(e *Request, f func(*Request)) {
	s.state.Lock()
	defer s.state.Unlock()
	f(e)
}

// Requests returns the requests received so far but the /_sandbox/ ones, in arrival order: the
// latest Config.LogRequests of them (Seq says which). It is safe for concurrent use; the result
// is a copy.
func (s *Server) Requests() []Request {
	s.state.Lock()
	defer s.state.Unlock()
	log := s.log[max(0, len(s.log)-s.cfg.LogRequests):]
	out := make([]Request, len(log))
	for i, e := range log {
		out[i] = *e
		out[i].UserObjectIDs = slices.Clone(e.UserObjectIDs)
		out[i].GroupOrders = slices.Clone(e.GroupOrders)
	}
	return out
}

// TokenRequests returns the number of calls of the token endpoint so far.
func (s *Server) TokenRequests() int {
	s.state.Lock()
	defer s.state.Unlock()
	return s.tokenRequests
}

// Records returns the stored records of entityType (case-insensitive) ordered by id, or nil
// when there is no such type. It is safe for concurrent use; the result is a copy.
func (s *Server) Records(entityType string) []Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	em := s.st.m.entity(entityType)
	if em == nil {
		return nil
	}
	var out []Record
	for _, r := range s.st.sorted(em) {
		out = append(out, r.public())
	}
	return out
}

// serveInspect serves the inspection endpoints, which need no token, meet no faults and are
// not logged: GET /_sandbox/records[?entityType=X] (all types when X is absent, by type then
// id), GET /_sandbox/requests and GET /_sandbox/onixwork ({orders, orderLines}, by id).
func (s *Server) serveInspect(w http.ResponseWriter, r *http.Request) {
	if !allowMethods(w, r, http.MethodGet) {
		return
	}
	switch r.URL.Path {
	case "/_sandbox/records":
		types := s.st.m.names
		if et := r.URL.Query().Get("entityType"); et != "" {
			em := s.st.m.entity(et)
			if em == nil {
				writeNotification(w, http.StatusNotFound, errMsg(CodeUnknownEntity, "The entity type "+et+" is not known."))
				return
			}
			types = []string{em.name}
		}
		out := []Record{}
		for _, t := range types {
			out = append(out, s.Records(t)...)
		}
		writeJSON(w, http.StatusOK, contentJSON, out)
	case "/_sandbox/requests":
		writeJSON(w, http.StatusOK, contentJSON, s.Requests())
	case "/_sandbox/onixwork":
		writeJSON(w, http.StatusOK, contentJSON, struct {
			Orders     []OnixOrder     `json:"orders"`
			OrderLines []OnixOrderLine `json:"orderLines"`
		}{s.OnixOrders(), s.OnixOrderLines()})
	default:
		writeNotification(w, http.StatusNotFound, errMsg(CodeNotFound, "Inspection endpoints: /_sandbox/records, /_sandbox/requests, /_sandbox/onixwork."))
	}
}
