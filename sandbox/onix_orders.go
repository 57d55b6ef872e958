package sandbox

import (
	"fmt"
	"net/http"
)

// handleOnixOrder serves POST /v1/orders (OrderInfo) and answers the order's id as a bare
// integer. The order is found by orderId when given (unknown: logic error), else by
// orderImportId (found: update, else create). On create null/absent fields get their defaults
// (languageCode 1, the first order workflow status, autoCreateCustomer false); on update they
// are left unchanged and "" clears a string. Logic errors (400, nothing changed): unknown
// orderId, an orderImportId used by another order, an invalid workflow status, and external
// ids missing from the company or contact links of the right type.
func (s *Server) handleOnixOrder(w http.ResponseWriter, r *http.Request) {
	body, ok := s.readOnixBody(w, r, "OrderInfo")
	if !ok {
		return
	}
	if errs := s.checkLanguage(body); errs != nil {
		writeOnixValidation(w, errs)
		return
	}
	o := s.onix
	o.mu.Lock()
	defer o.mu.Unlock()
	id, errs := o.upsertOrder(body)
	if errs != nil {
		writeOnixLogic(w, errs)
		return
	}
	writeJSON(w, http.StatusOK, contentJSONUTF8, id)
}

// checkLanguage reports a languageCode that is not configured as a validation error.
func (s *Server) checkLanguage(body map[string]any) fieldErrors {
	if c, ok := intField(body, "languageCode"); ok {
		if _, known := s.cfg.OnixWork.Languages[int(c)]; !known || int64(int(c)) != c {
			return fieldErrors{"languageCode": {"LanguageCode is invalid"}}
		}
	}
	return nil
}

// upsertOrder creates or updates the order of body; o.mu must be held. On logic errors
// nothing changes.
func (o *onixState) upsertOrder(body map[string]any) (int64, []onixLogicError) {
	var ord *onixOrder
	var errs []onixLogicError
	imp, hasImp := strField(body, "orderImportId")
	if id, ok := intField(body, "orderId"); ok {
		if ord = o.orders[id]; ord == nil {
			return 0, []onixLogicError{logicErr(fmt.Sprintf("Order %d does not exist", id), "orderId")}
		}
	} else if hasImp {
		ord = o.orders[o.orderByImport[imp]]
	}
	if hasImp {
		if other, taken := o.orderByImport[imp]; taken && (ord == nil || other != ord.id) {
			errs = append(errs, logicErr(fmt.Sprintf("OrderImportId %s is already used by order %d", imp, other), "orderImportId"))
		}
	}
	if st, ok := intField(body, "workflowStatusId"); ok {
		if _, known := status(o.cfg.OrderStatuses, st); !known {
			errs = append(errs, logicErr("Invalid Workflow Status Id", "workflowStatusId"))
		}
	}
	linkErrs, newLinks := o.checkLinks(body)
	errs = append(errs, linkErrs...)
	if errs != nil {
		return 0, errs
	}
	for id, typ := range newLinks {
		o.cfg.CompanyLinks[id] = typ
	}
	if ord == nil {
		ord = &onixOrder{id: o.nextOrder, fields: map[string]any{
			"languageCode":       int64(onixLanguageEnglish),
			"workflowStatusId":   o.cfg.OrderStatuses[0].ID,
			"autoCreateCustomer": false,
		}}
		o.nextOrder++
		o.orders[ord.id] = ord
	} else {
		ord.updates++
	}
	if old, ok := ord.fields["orderImportId"].(string); ok && hasImp && old != imp {
		delete(o.orderByImport, old)
	}
	merge(ord.fields, body, "orderId")
	if hasImp {
		o.orderByImport[imp] = ord.id
	}
	return ord.id, nil
}

// orderLinks are the OrderInfo fields holding external ids: which links they must be in
// (company or contact) and with which link type.
var orderLinks = []struct {
	field   string
	contact bool
	typ     string
}{
	{"customerExternalId", false, LinkCustomer},
	{"supplierExternalId", false, LinkSupplier},
	{"customerContactExternalId", true, LinkCustomer},
	{"supplierContactExternalId", true, LinkSupplier},
}

// checkLinks checks body's external ids against the company and contact links; "" (clearing)
// is not checked. With autoCreateCustomer true an unknown customerExternalId is not an error:
// it is returned in add, to be linked as a customer. o.mu must be held.
func (o *onixState) checkLinks(body map[string]any) (errs []onixLogicError, add map[string]string) {
	auto, _ := body["autoCreateCustomer"].(bool)
	for _, l := range orderLinks {
		id, ok := strField(body, l.field)
		if !ok || id == "" {
			continue
		}
		links, what := o.cfg.CompanyLinks, "company links"
		if l.contact {
			links, what = o.cfg.ContactLinks, "contact links"
		}
		typ, known := links[id]
		switch {
		case known && typ == l.typ:
		case !known && auto && l.field == "customerExternalId":
			add = map[string]string{id: LinkCustomer}
		case known:
			errs = append(errs, logicErr(fmt.Sprintf("External id %s is a %s link, not a %s link", id, typ, l.typ), l.field))
		default:
			errs = append(errs, logicErr(fmt.Sprintf("External id %s is not in the %s with link type %s", id, what, l.typ), l.field))
		}
	}
	return errs, add
}
