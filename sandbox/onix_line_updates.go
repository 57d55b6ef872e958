package sandbox

import (
	"net/http"
	"strings"
)

// readLineBody reads a body of model that names a line by both ID pairs, at least one id of
// each; it answers and returns false on any problem.
func (s *Server) readLineBody(w http.ResponseWriter, r *http.Request, model string) (map[string]any, bool) {
	body, ok := s.readOnixBody(w, r, model)
	if !ok {
		return nil, false
	}
	errs := requirePair(body, "orderId", "orderImportId")
	for k, v := range requirePair(body, "orderLineId", "orderLineImportId") {
		if errs == nil {
			errs = fieldErrors{}
		}
		errs[k] = v
	}
	if errs != nil {
		writeOnixValidation(w, errs)
		return nil, false
	}
	return body, true
}

// handleOnixItems serves POST /v1/order-lines/items (OrderLineItemsInfo): the items replace the
// line's items. It answers true, or a logic error when the order or line is not found.
func (s *Server) handleOnixItems(w http.ResponseWriter, r *http.Request) {
	body, ok := s.readLineBody(w, r, "OrderLineItemsInfo")
	if !ok {
		return
	}
	o := s.onix
	o.mu.Lock()
	defer o.mu.Unlock()
	_, line, errs := o.locateLine(body)
	if errs != nil {
		writeOnixLogic(w, errs)
		return
	}
	list, _ := body["items"].([]any)
	items := make([]map[string]any, 0, len(list))
	for _, it := range list {
		m, _ := jsonValue(it).(map[string]any)
		items = append(items, m)
	}
	line.items = items
	writeJSON(w, http.StatusOK, contentJSONUTF8, true)
}

// handleOnixProperties serves POST /v1/order-lines/properties (form false) and
// /v1/order-lines/form-properties (form true), both OrderLinePropertiesInfo. Only the line's
// existing (configured) properties are updated, names matched case-insensitively; unknown
// names are ignored; a null value leaves a property unchanged and "" clears it. It answers
// true, or a logic error when the order or line is not found or either is in a Closed
// workflow status (then nothing changes).
func (s *Server) handleOnixProperties(w http.ResponseWriter, r *http.Request, form bool) {
	body, ok := s.readLineBody(w, r, "OrderLinePropertiesInfo")
	if !ok {
		return
	}
	o := s.onix
	o.mu.Lock()
	defer o.mu.Unlock()
	ord, line, errs := o.locateLine(body)
	if errs == nil {
		errs = o.closedErrors(ord, line)
	}
	if errs != nil {
		writeOnixLogic(w, errs)
		return
	}
	names, props := o.cfg.LineProperties, line.props
	if form {
		names, props = o.cfg.LineFormProperties, line.formPrs
	}
	list, _ := body["properties"].([]any)
	for _, p := range list {
		m, _ := p.(map[string]any)
		name, _ := m["name"].(string)
		v, set := m["value"].(string)
		if n, known := findProp(names, strings.TrimSpace(name)); known && set {
			props[n] = v
		}
	}
	writeJSON(w, http.StatusOK, contentJSONUTF8, true)
}

// closedErrors reports the order or line being in a Closed workflow status. o.mu must be held.
func (o *onixState) closedErrors(ord *onixOrder, line *onixLine) []onixLogicError {
	var errs []onixLogicError
	if id, ok := ord.fields["workflowStatusId"].(int64); ok {
		if st, _ := status(o.cfg.OrderStatuses, id); st.Closed {
			errs = append(errs, logicErr("The order is in the Closed workflow status "+st.Name, "orderId", "workflowStatusId"))
		}
	}
	if id, ok := line.fields["workflowStatusId"].(int64); ok {
		if st, _ := status(o.cfg.OrderLineStatuses, id); st.Closed {
			errs = append(errs, logicErr("The order line is in the Closed workflow status "+st.Name, "orderLineId", "workflowStatusId"))
		}
	}
	return errs
}
