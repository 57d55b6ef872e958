package sandbox

import (
	"net/http"
	"strconv"
	"strings"
)

// onixSurface is the Onix Work OpenAPI under /v1/: errors as ASP.NET problem details, Bearer
// or Key tokens, and the routes of onixRoute.
func (s *Server) onixSurface() surface {
	return surface{fail: onixFail, authorize: s.onixAuthorize, route: s.onixRoute}
}

// onixRoute dispatches an authorized Onix Work call by its path, compared case-insensitively.
// Unknown paths answer 404 and wrong methods 405, both as problem details.
func (s *Server) onixRoute(w http.ResponseWriter, r *http.Request, _ *Request) {
	path := strings.ToLower(strings.TrimSuffix(r.URL.Path, "/"))
	post := func(h func(http.ResponseWriter, *http.Request)) {
		if onixMethod(w, r, http.MethodPost) {
			h(w, r)
		}
	}
	switch path {
	case "/v1/orders":
		post(s.handleOnixOrder)
	case "/v1/order-lines":
		post(s.handleOnixLine)
	case "/v1/order-lines/items":
		post(s.handleOnixItems)
	case "/v1/order-lines/properties":
		post(func(w http.ResponseWriter, r *http.Request) { s.handleOnixProperties(w, r, false) })
	case "/v1/order-lines/form-properties":
		post(func(w http.ResponseWriter, r *http.Request) { s.handleOnixProperties(w, r, true) })
	case "/v1/company/order-statuses":
		if onixMethod(w, r, http.MethodGet) {
			writeStatuses(w, s.cfg.OnixWork.OrderStatuses)
		}
	case "/v1/company/order-line-statuses":
		if onixMethod(w, r, http.MethodGet) {
			writeStatuses(w, s.cfg.OnixWork.OrderLineStatuses)
		}
	default:
		writeOnixProblem(w, http.StatusNotFound, "Not Found", "No Onix Work endpoint at "+r.URL.Path+".", nil)
	}
}

// onixMethod answers 405 and returns false unless r's method is method.
func onixMethod(w http.ResponseWriter, r *http.Request, method string) bool {
	if r.Method == method {
		return true
	}
	w.Header().Set("Allow", method)
	writeOnixProblem(w, http.StatusMethodNotAllowed, "Method Not Allowed", "Use "+method+".", nil)
	return false
}

// onixKeyValue is one element of a key/value string list (seed 000: both strings).
type onixKeyValue struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// writeStatuses answers a workflow's statuses as [{"key":"<id>","value":"<name>"}], in the
// configured order.
func writeStatuses(w http.ResponseWriter, sts []OnixStatus) {
	out := make([]onixKeyValue, len(sts))
	for i, st := range sts {
		out[i] = onixKeyValue{Key: strconv.FormatInt(st.ID, 10), Value: st.Name}
	}
	writeJSON(w, http.StatusOK, contentJSONUTF8, out)
}
