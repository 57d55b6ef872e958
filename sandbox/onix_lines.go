package sandbox

import (
	"fmt"
	"net/http"
)

// handleOnixLine serves POST /v1/order-lines (OrderLineInfo) and answers the line's id as a
// bare integer. The parent order is orderId when given, else orderImportId (neither: 400
// validation; unknown: logic error). The line is found by orderLineId when given (unknown or
// of another order: logic error), else by orderLineImportId within the order (found: update,
// else create). Defaults on create: type Unique, quantity 1, the first order-line workflow
// status; null/absent on update: unchanged.
func (s *Server) handleOnixLine(w http.ResponseWriter, r *http.Request) {
	body, ok := s.readOnixBody(w, r, "OrderLineInfo")
	if !ok {
		return
	}
	if errs := requirePair(body, "orderId", "orderImportId"); errs != nil {
		writeOnixValidation(w, errs)
		return
	}
	o := s.onix
	o.mu.Lock()
	defer o.mu.Unlock()
	id, errs := o.upsertLine(body)
	if errs != nil {
		writeOnixLogic(w, errs)
		return
	}
	writeJSON(w, http.StatusOK, contentJSONUTF8, id)
}

// requirePair reports, as a validation error on the import id, that neither the numeric id
// nor the import id of a pair was given.
func requirePair(body map[string]any, id, importID string) fieldErrors {
	if body[id] != nil || body[importID] != nil {
		return nil
	}
	return fieldErrors{importID: {fmt.Sprintf("%s or %s is required", pascal(id), pascal(importID))}}
}

// parentOrder finds the order of body: orderId wins over orderImportId. o.mu must be held.
func (o *onixState) parentOrder(body map[string]any) (*onixOrder, []onixLogicError) {
	if id, ok := intField(body, "orderId"); ok {
		if ord := o.orders[id]; ord != nil {
			return ord, nil
		}
		return nil, []onixLogicError{logicErr(fmt.Sprintf("Order %d does not exist", id), "orderId")}
	}
	imp, _ := strField(body, "orderImportId")
	if id, ok := o.orderByImport[imp]; ok {
		return o.orders[id], nil
	}
	return nil, []onixLogicError{logicErr(fmt.Sprintf("No order has OrderImportId %s", imp), "orderImportId")}
}

// upsertLine creates or updates the line of body; o.mu must be held. On logic errors nothing
// changes.
func (o *onixState) upsertLine(body map[string]any) (int64, []onixLogicError) {
	ord, errs := o.parentOrder(body)
	if errs != nil {
		return 0, errs
	}
	var line *onixLine
	imp, hasImp := strField(body, "orderLineImportId")
	if id, ok := intField(body, "orderLineId"); ok {
		if line = o.lines[id]; line == nil || line.orderID != ord.id {
			return 0, []onixLogicError{logicErr(fmt.Sprintf("Order line %d does not exist in order %d", id, ord.id), "orderLineId")}
		}
	} else if hasImp {
		line = o.lines[o.lineByImport[lineKey{ord.id, imp}]]
	}
	if hasImp {
		if other, taken := o.lineByImport[lineKey{ord.id, imp}]; taken && (line == nil || other != line.id) {
			errs = append(errs, logicErr(fmt.Sprintf("OrderLineImportId %s is already used by order line %d", imp, other), "orderLineImportId"))
		}
	}
	if st, ok := intField(body, "workflowStatusId"); ok {
		if _, known := status(o.cfg.OrderLineStatuses, st); !known {
			errs = append(errs, logicErr("Invalid Workflow Status Id", "workflowStatusId"))
		}
	}
	if errs != nil {
		return 0, errs
	}
	if line == nil {
		line = &onixLine{id: o.nextLine, orderID: ord.id,
			fields: map[string]any{"type": "Unique", "quantity": int64(1), "workflowStatusId": o.cfg.OrderLineStatuses[0].ID},
			items:  []map[string]any{}, props: emptyProps(o.cfg.LineProperties), formPrs: emptyProps(o.cfg.LineFormProperties)}
		o.nextLine++
		o.lines[line.id] = line
	} else {
		line.updates++
	}
	if old, ok := line.fields["orderLineImportId"].(string); ok && hasImp && old != imp {
		delete(o.lineByImport, lineKey{ord.id, old})
	}
	merge(line.fields, body, "orderId", "orderImportId", "orderLineId")
	if hasImp {
		o.lineByImport[lineKey{ord.id, imp}] = line.id
	}
	return line.id, nil
}

// emptyProps maps each name to nil: the properties a new line has.
func emptyProps(names []string) map[string]any {
	out := make(map[string]any, len(names))
	for _, n := range names {
		out[n] = nil
	}
	return out
}

// locateLine finds the line of an items or properties body by the ID pairs (orderId |
// orderImportId) and (orderLineId | orderLineImportId), the numeric id winning. o.mu must be
// held.
func (o *onixState) locateLine(body map[string]any) (*onixOrder, *onixLine, []onixLogicError) {
	ord, errs := o.parentOrder(body)
	if errs != nil {
		return nil, nil, errs
	}
	if id, ok := intField(body, "orderLineId"); ok {
		if line := o.lines[id]; line != nil && line.orderID == ord.id {
			return ord, line, nil
		}
		return nil, nil, []onixLogicError{logicErr(fmt.Sprintf("Order line %d does not exist in order %d", id, ord.id), "orderLineId")}
	}
	imp, _ := strField(body, "orderLineImportId")
	if id, ok := o.lineByImport[lineKey{ord.id, imp}]; ok {
		return ord, o.lines[id], nil
	}
	return nil, nil, []onixLogicError{logicErr(fmt.Sprintf("No line of order %d has OrderLineImportId %s", ord.id, imp), "orderLineImportId")}
}
