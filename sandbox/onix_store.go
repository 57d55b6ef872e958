package sandbox

import (
	"encoding/json"
	"maps"
	"math/big"
	"slices"
	"strings"
	"sync"
	"time"
)

// First ids the sandbox gives new Onix Work orders and order lines.
const (
	firstOnixOrderID = 100001
	firstOnixLineID  = 200001
)

// onixState is the Onix Work side of a Server: issued tokens, orders and lines. Its mutex
// guards every field; a call's checks and changes happen under it as one unit.
type onixState struct {
	mu            sync.Mutex
	cfg           OnixWork             // a clone; CompanyLinks grows with autoCreateCustomer
	tokens        map[string]time.Time // short-lived token -> expiry
	tokenRequests int
	orders        map[int64]*onixOrder
	orderByImport map[string]int64 // orderImportId -> orderId
	lines         map[int64]*onixLine
	lineByImport  map[lineKey]int64 // (orderId, orderLineImportId) -> orderLineId
	nextOrder     int64
	nextLine      int64
}

// lineKey keys an order line by its import id, which is unique within its order.
type lineKey struct {
	order int64
	imp   string
}

type onixOrder struct {
	id      int64
	fields  map[string]any // OrderInfo fields as stored (orderId excluded), JSON-typed values
	updates int
}

type onixLine struct {
	id, orderID    int64
	fields         map[string]any // OrderLineInfo fields (ids of line and parent excluded)
	items          []map[string]any
	props, formPrs map[string]any // configured name -> value (nil until set)
	updates        int
}

func newOnixState(cfg OnixWork) *onixState {
	return &onixState{cfg: cfg.clone(), tokens: map[string]time.Time{},
		orders: map[int64]*onixOrder{}, orderByImport: map[string]int64{},
		lines: map[int64]*onixLine{}, lineByImport: map[lineKey]int64{},
		nextOrder: firstOnixOrderID, nextLine: firstOnixLineID}
}

// OnixOrder is a stored Onix Work order, as OnixOrders and GET /_sandbox/onixwork give it.
type OnixOrder struct {
	OrderID int64 `json:"orderId"`
	// Fields are the OrderInfo fields as stored, defaults included (orderImportId,
	// workflowStatusId, languageCode, ...). Integers are int64, other numbers float64.
	Fields map[string]any `json:"fields"`
	// Updates counts the calls that updated the order after it was created.
	Updates int `json:"updates"`
}

// OnixOrderLine is a stored order line with its parent order id, items and properties.
type OnixOrderLine struct {
	OrderLineID int64          `json:"orderLineId"`
	OrderID     int64          `json:"orderId"`
	Fields      map[string]any `json:"fields"`
	// Items are the line's numbered items (OrderLineItemSerialInfo), as last sent.
	Items []map[string]any `json:"items"`
	// Properties and FormProperties map each configured name to its value (nil: never set).
	Properties     map[string]any `json:"properties"`
	FormProperties map[string]any `json:"formProperties"`
	Updates        int            `json:"updates"`
}

// OnixOrders returns the stored Onix Work orders ordered by id. It is safe for concurrent
// use; the result is a copy.
func (s *Server) OnixOrders() []OnixOrder {
	o := s.onix
	o.mu.Lock()
	defer o.mu.Unlock()
	out := make([]OnixOrder, 0, len(o.orders))
	for _, id := range slices.Sorted(maps.Keys(o.orders)) {
		ord := o.orders[id]
		out = append(out, OnixOrder{OrderID: id, Fields: maps.Clone(ord.fields), Updates: ord.updates})
	}
	return out
}

// OnixOrderLines returns the stored order lines ordered by id. It is safe for concurrent use;
// the result is a copy.
func (s *Server) OnixOrderLines() []OnixOrderLine {
	o := s.onix
	o.mu.Lock()
	defer o.mu.Unlock()
	out := make([]OnixOrderLine, 0, len(o.lines))
	for _, id := range slices.Sorted(maps.Keys(o.lines)) {
		l := o.lines[id]
		items := make([]map[string]any, len(l.items))
		for i, it := range l.items {
			items[i] = maps.Clone(it)
		}
		out = append(out, OnixOrderLine{OrderLineID: id, OrderID: l.orderID, Fields: maps.Clone(l.fields),
			Items: items, Properties: maps.Clone(l.props), FormProperties: maps.Clone(l.formPrs), Updates: l.updates})
	}
	return out
}

// OnixTokenRequests returns the number of calls of POST /v1/Account/token so far, failed
// ones included.
func (s *Server) OnixTokenRequests() int {
	s.onix.mu.Lock()
	defer s.onix.mu.Unlock()
	return s.onix.tokenRequests
}

// jsonValue turns a decoded value (json.Number kept) into what the sandbox stores: int64 for
// integral numbers, float64 for others; objects and arrays recursively.
func jsonValue(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		if r, ok := new(big.Rat).SetString(x.String()); ok && r.IsInt() && r.Num().IsInt64() {
			return r.Num().Int64()
		}
		f, _ := x.Float64()
		return f
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = jsonValue(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = jsonValue(e)
		}
		return out
	}
	return v
}

// intField is body[name] as an integer; false when absent or null (the schema checked types).
func intField(body map[string]any, name string) (int64, bool) {
	i, ok := jsonValue(body[name]).(int64)
	return i, ok
}

// strField is body[name] as a string; false when absent or null.
func strField(body map[string]any, name string) (string, bool) {
	v, ok := body[name].(string)
	return v, ok
}

// merge copies the non-null fields of body into fields, skipping the names in skip: null or
// absent leaves a field unchanged, "" clears a string (seed 000).
func merge(fields map[string]any, body map[string]any, skip ...string) {
	for k, v := range body {
		if v == nil || slices.Contains(skip, k) {
			continue
		}
		fields[k] = jsonValue(v)
	}
}

// findProp returns the configured name among names that matches name case-insensitively.
func findProp(names []string, name string) (string, bool) {
	for _, n := range names {
		if strings.EqualFold(n, name) {
			return n, true
		}
	}
	return "", false
}
