package sandbox

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// TestOnixValidationShape: schema failures answer the seed's problem details, keyed by JSON
// field, messages starting with the PascalCase field name.
func TestOnixValidationShape(t *testing.T) {
	long := strings.Repeat("x", 51)
	tests := []struct {
		name, path, body string
		errors           map[string][]string
	}{
		{"bad date and type", "/v1/orders", `{"erpOrderDate":"03.11.2026","source":5}`, map[string][]string{
			"erpOrderDate": {"ErpOrderDate wrong format"},
			"source":       {"Source is invalid: expected string or null, but got number"}}},
		{"too long", "/v1/orders", `{"erpCustomerContactEmail":"` + long + `"}`, map[string][]string{
			"erpCustomerContactEmail": {"ErpCustomerContactEmail is invalid: length must be <= 50, but got 51"}}},
		{"unknown field", "/v1/orders", `{"colour":"red"}`, map[string][]string{"colour": {"Colour is not a field of OrderInfo"}}},
		{"unknown language", "/v1/orders", `{"languageCode":2}`, map[string][]string{"languageCode": {"LanguageCode is invalid"}}},
		{"empty import id", "/v1/orders", `{"orderImportId":""}`, map[string][]string{
			"orderImportId": {"OrderImportId is invalid: length must be >= 1, but got 0"}}},
		{"not an object", "/v1/orders", `[1]`, map[string][]string{"$": {"The JSON value could not be converted to OrderInfo."}}},
		{"line type", "/v1/order-lines", `{"orderImportId":"A","type":"Gadget"}`, map[string][]string{"type": {"Type is invalid"}}},
		{"line without parent", "/v1/order-lines", `{"orderLineImportId":"A-1"}`, map[string][]string{
			"orderImportId": {"OrderId or OrderImportId is required"}}},
		{"nested item", "/v1/order-lines/items", `{"orderId":1,"orderLineId":2,"items":[{"serialNumber":7}]}`, map[string][]string{
			"items[0].serialNumber": {"SerialNumber is invalid: expected string or null, but got number"}}},
		{"items missing", "/v1/order-lines/items", `{"orderId":1,"orderLineId":2}`, map[string][]string{"items": {"Items is required"}}},
		{"properties without line", "/v1/order-lines/properties", `{"orderId":1,"properties":[]}`, map[string][]string{
			"orderLineImportId": {"OrderLineId or OrderLineImportId is required"}}},
	}
	s := start(t, nil)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := onixPost(t, s, tc.path, tc.body, 400)
			p := problem(t, a)
			if p.Title != onixTitleValidation || p.Type != "" || !reflect.DeepEqual(map[string][]string(p.Errors), tc.errors) {
				t.Errorf("got %s\nwant errors %v", a.body, tc.errors)
			}
		})
	}
	if n := len(s.OnixOrders()); n != 0 {
		t.Errorf("%d orders stored after invalid bodies", n)
	}
}

func TestOnixOrderCreateOrUpdate(t *testing.T) {
	s := start(t, nil)
	id := onixID(t, s, "/v1/orders", `{"orderImportId":"A","source":"erp","customerExternalId":"K-1001","erpCustomerContactFirstName":"Kari"}`)
	if id != firstOnixOrderID {
		t.Fatalf("first id %d", id)
	}
	// By import id: an update; null leaves a field, "" clears a string.
	if got := onixID(t, s, "/v1/orders", `{"orderImportId":"A","source":null,"erpCustomerContactFirstName":"","languageCode":4}`); got != id {
		t.Fatalf("update by import id answered %d, want %d", got, id)
	}
	// By id: an update that may change the import id.
	if got := onixID(t, s, "/v1/orders", `{"orderId":`+jsonInt(id)+`,"orderImportId":"A2","workflowStatusId":2}`); got != id {
		t.Fatalf("update by id answered %d", got)
	}
	// The old import id is free again: a new order.
	other := onixID(t, s, "/v1/orders", `{"orderImportId":"A"}`)
	if other == id {
		t.Fatal("import id A after the rename must create a new order")
	}
	orders := s.OnixOrders()
	want := map[string]any{"orderImportId": "A2", "source": "erp", "customerExternalId": "K-1001", "erpCustomerContactFirstName": "",
		"languageCode": int64(4), "workflowStatusId": int64(2), "autoCreateCustomer": false}
	if len(orders) != 2 || !reflect.DeepEqual(orders[0].Fields, want) || orders[0].Updates != 2 {
		t.Errorf("order %+v\nwant fields %v", orders[0], want)
	}
	if f := orders[1].Fields; f["languageCode"] != int64(1) || f["workflowStatusId"] != int64(1) {
		t.Errorf("defaults of a new order: %v", f)
	}
}

func TestOnixOrderLogicErrors(t *testing.T) {
	s := start(t, nil)
	createOrder(t, s, "A")
	createOrder(t, s, "B")
	tests := []struct {
		name, body string
		members    [][]string
		message    string // a part of the first message
	}{
		{"unknown order id", `{"orderId":999}`, [][]string{{"orderId"}}, "does not exist"},
		{"import id taken", `{"orderId":100001,"orderImportId":"B"}`, [][]string{{"orderImportId"}}, "already used"},
		{"invalid workflow status", `{"orderImportId":"A","workflowStatusId":42}`, [][]string{{"workflowStatusId"}}, "Invalid Workflow Status Id"},
		{"unknown customer", `{"orderImportId":"C","customerExternalId":"K-9999"}`, [][]string{{"customerExternalId"}}, "not in the company links"},
		{"supplier as customer", `{"orderImportId":"C","customerExternalId":"L-2001"}`, [][]string{{"customerExternalId"}}, "supplier link"},
		{"customer as supplier", `{"orderImportId":"C","supplierExternalId":"K-1001"}`, [][]string{{"supplierExternalId"}}, "customer link"},
		{"unknown contact", `{"orderImportId":"C","customerContactExternalId":"KP-9"}`, [][]string{{"customerContactExternalId"}}, "contact links"},
		{"several at once", `{"orderImportId":"C","workflowStatusId":42,"supplierContactExternalId":"KP-1001"}`,
			[][]string{{"workflowStatusId"}, {"supplierContactExternalId"}}, "Invalid Workflow Status Id"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			errs := logic(t, onixPost(t, s, "/v1/orders", tc.body, 400))
			var members [][]string
			for _, e := range errs {
				members = append(members, e.MemberNames)
			}
			if !reflect.DeepEqual(members, tc.members) || !strings.Contains(errs[0].ErrorMessage, tc.message) {
				t.Errorf("got %+v, want members %v and %q", errs, tc.members, tc.message)
			}
		})
	}
	if n := len(s.OnixOrders()); n != 2 {
		t.Errorf("%d orders after logic errors, want 2", n)
	}
}

func TestOnixAutoCreateCustomer(t *testing.T) {
	s := start(t, nil)
	onixPost(t, s, "/v1/orders", `{"orderImportId":"A","customerExternalId":"K-NEW"}`, 400)
	onixID(t, s, "/v1/orders", `{"orderImportId":"A","customerExternalId":"K-NEW","autoCreateCustomer":true}`)
	// Now linked: a later order needs no autoCreateCustomer.
	onixID(t, s, "/v1/orders", `{"orderImportId":"B","customerExternalId":"K-NEW"}`)
}

func TestOnixStatusLists(t *testing.T) {
	s := start(t, nil)
	tests := []struct {
		path string
		want []onixKeyValue
	}{
		{"/v1/company/order-statuses", []onixKeyValue{{"1", "New"}, {"2", "In progress"}, {"3", "Delivered"}, {"9", "Closed"}}},
		{"/V1/Company/Order-Line-Statuses", []onixKeyValue{{"11", "New"}, {"12", "Ordered"}, {"13", "Received"}, {"19", "Closed"}}},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			a := onixCall(t, s, "GET", tc.path, onixKey, "")
			var got []onixKeyValue
			if err := json.Unmarshal([]byte(a.body), &got); err != nil || a.status != 200 || !reflect.DeepEqual(got, tc.want) {
				t.Errorf("%d %s", a.status, a.body)
			}
		})
	}
	if a := onixCall(t, s, "POST", "/v1/company/order-statuses", onixKey, "{}"); a.status != 405 {
		t.Errorf("POST a list: %d", a.status)
	}
	if a := onixCall(t, s, "GET", "/v1/orders", onixKey, ""); a.status != 405 {
		t.Errorf("GET orders: %d", a.status)
	}
	if a := onixCall(t, s, "GET", "/v1/nothing", onixKey, ""); a.status != 404 || problem(t, a).Title != "Not Found" {
		t.Errorf("unknown path: %d %s", a.status, a.body)
	}
}

func jsonInt(i int64) string { b, _ := json.Marshal(i); return string(b) }
