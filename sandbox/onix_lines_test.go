package sandbox

import (
	"bufio"
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
)

func TestOnixLineCreateOrUpdate(t *testing.T) {
	s := start(t, nil)
	a := createOrder(t, s, "A")
	b := createOrder(t, s, "B")
	l1 := createLine(t, s, "A", "A-1")
	tests := []struct {
		name, body string
		want       int64 // the id answered; 0: a new line
		order      int64 // its parent
	}{
		{"same import id in another order: new line", `{"orderImportId":"B","orderLineImportId":"A-1"}`, 0, b},
		{"by import id within the order: update", `{"orderImportId":"A","orderLineImportId":"A-1","quantity":3}`, l1, a},
		{"by order id, the numeric id wins", `{"orderId":` + jsonInt(a) + `,"orderImportId":"B","orderLineImportId":"A-1","description":"x"}`, l1, a},
		{"by line id", `{"orderImportId":"A","orderLineId":` + jsonInt(l1) + `,"orderLineImportId":"A-1b","unitPrice":9.5}`, l1, a},
		{"no line key: a new line", `{"orderImportId":"A","type":"Consumable"}`, 0, a},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id := onixID(t, s, "/v1/order-lines", tc.body)
			if tc.want != 0 && id != tc.want || tc.want == 0 && id == l1 {
				t.Errorf("answered %d, want %d", id, tc.want)
			}
			for _, l := range s.OnixOrderLines() {
				if l.OrderLineID == id && l.OrderID != tc.order {
					t.Errorf("line %d has order %d, want %d", id, l.OrderID, tc.order)
				}
			}
		})
	}
	lines := s.OnixOrderLines()
	want := map[string]any{"orderLineImportId": "A-1b", "type": "Unique", "quantity": int64(3), "description": "x",
		"unitPrice": 9.5, "workflowStatusId": int64(11)}
	if len(lines) != 3 || !reflect.DeepEqual(lines[0].Fields, want) || lines[0].Updates != 3 {
		t.Errorf("line %+v\nwant fields %v", lines[0], want)
	}
	if p := lines[0].Properties; len(p) != 3 || p["Colour"] != nil {
		t.Errorf("properties of a new line %v", p)
	}
}

func TestOnixLineLogicErrors(t *testing.T) {
	s := start(t, nil)
	createOrder(t, s, "A")
	createOrder(t, s, "B")
	createLine(t, s, "A", "A-1")
	createLine(t, s, "A", "A-2")
	lineOfB := createLine(t, s, "B", "B-1")
	tests := []struct {
		name, body string
		members    []string
	}{
		{"unknown order import id", `{"orderImportId":"Z","orderLineImportId":"Z-1"}`, []string{"orderImportId"}},
		{"unknown order id", `{"orderId":5,"orderLineImportId":"Z-1"}`, []string{"orderId"}},
		{"line of another order", `{"orderImportId":"A","orderLineId":` + jsonInt(lineOfB) + `}`, []string{"orderLineId"}},
		{"line import id taken in the order", `{"orderImportId":"A","orderLineId":200001,"orderLineImportId":"A-2"}`, []string{"orderLineImportId"}},
		{"invalid workflow status", `{"orderImportId":"A","orderLineImportId":"A-1","workflowStatusId":1}`, []string{"workflowStatusId"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			errs := logic(t, onixPost(t, s, "/v1/order-lines", tc.body, 400))
			if len(errs) != 1 || !reflect.DeepEqual(errs[0].MemberNames, tc.members) || errs[0].ErrorMessage == "" {
				t.Errorf("got %+v, want members %v", errs, tc.members)
			}
		})
	}
	if n := len(s.OnixOrderLines()); n != 3 {
		t.Errorf("%d lines after logic errors, want 3", n)
	}
}

func TestOnixItems(t *testing.T) {
	s := start(t, nil)
	createOrder(t, s, "A")
	l := createLine(t, s, "A", "A-1")
	tests := []struct {
		name, body string
		status     int
		items      int // the line's items afterwards
	}{
		{"by import ids", `{"orderImportId":"A","orderLineImportId":"A-1","items":[{"serialNumber":"SN1"},{"serialNumber":"SN2","batchNumber":"B7"}]}`, 200, 2},
		{"by ids, replacing", `{"orderId":100001,"orderLineId":` + jsonInt(l) + `,"items":[{"serialNumber":"SN3"}]}`, 200, 1},
		{"unknown line", `{"orderImportId":"A","orderLineImportId":"A-9","items":[]}`, 400, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := onixPost(t, s, "/v1/order-lines/items", tc.body, tc.status)
			if tc.status == 200 && a.body != "true" {
				t.Errorf("answer %s, want true", a.body)
			}
			if tc.status == 400 {
				logic(t, a)
			}
			if n := len(s.OnixOrderLines()[0].Items); n != tc.items {
				t.Errorf("%d items, want %d", n, tc.items)
			}
		})
	}
	if it := s.OnixOrderLines()[0].Items[0]; it["serialNumber"] != "SN3" {
		t.Errorf("items %v", it)
	}
}

func TestOnixProperties(t *testing.T) {
	for _, path := range []string{"/v1/order-lines/properties", "/v1/order-lines/form-properties"} {
		t.Run(path, func(t *testing.T) {
			s := start(t, nil)
			createOrder(t, s, "A")
			createLine(t, s, "A", "A-1")
			form := strings.Contains(path, "form")
			name, other := "colour", "Colour"
			if form {
				name, other = "inspected", "Inspected"
			}
			props := func() map[string]any {
				l := s.OnixOrderLines()[0]
				if form {
					return l.FormProperties
				}
				return l.Properties
			}
			body := `{"orderImportId":"A","orderLineImportId":"A-1","properties":[{"name":"` + name + `","value":"yes"},{"name":"Unknown","value":"x"}]}`
			if a := onixPost(t, s, path, body, 200); a.body != "true" {
				t.Fatalf("answer %s", a.body)
			}
			if p := props(); p[other] != "yes" || len(p) != map[bool]int{false: 3, true: 2}[form] {
				t.Errorf("after set: %v", p)
			}
			onixPost(t, s, path, `{"orderId":100001,"orderImportId":"nope","orderLineImportId":"A-1","properties":[{"name":"`+name+`","value":null}]}`, 200)
			if p := props(); p[other] != "yes" {
				t.Errorf("null must leave it: %v", p)
			}
			onixPost(t, s, path, `{"orderImportId":"A","orderLineId":200001,"properties":[{"name":"`+name+`","value":""}]}`, 200)
			if p := props(); p[other] != "" {
				t.Errorf(`"" must clear it: %v`, p)
			}
			// Closed order, then closed line: logic errors, nothing changes.
			set := `{"orderImportId":"A","orderLineImportId":"A-1","properties":[{"name":"` + name + `","value":"late"}]}`
			onixID(t, s, "/v1/orders", `{"orderImportId":"A","workflowStatusId":9}`)
			if errs := logic(t, onixPost(t, s, path, set, 400)); !strings.Contains(errs[0].ErrorMessage, "Closed") {
				t.Errorf("closed order: %+v", errs)
			}
			onixID(t, s, "/v1/orders", `{"orderImportId":"A","workflowStatusId":2}`)
			onixID(t, s, "/v1/order-lines", `{"orderImportId":"A","orderLineImportId":"A-1","workflowStatusId":19}`)
			if errs := logic(t, onixPost(t, s, path, set, 400)); !reflect.DeepEqual(errs[0].MemberNames, []string{"orderLineId", "workflowStatusId"}) {
				t.Errorf("closed line: %+v", errs)
			}
			if p := props(); p[other] != "" {
				t.Errorf("changed while closed: %v", p)
			}
		})
	}
}

// TestOnixSamplePayloadsSucceed sends the bodies samples/orders-csv would send (its expected
// payloads, orders first) to DefaultConfig with a short-lived token: every one must succeed.
func TestOnixSamplePayloadsSucceed(t *testing.T) {
	s := start(t, nil)
	auth := "Bearer " + onixToken(t, s)
	files := []struct{ file, path string }{
		{"../samples/orders-csv/expected/payloads/01-orders.jsonl", "/v1/orders"},
		{"../samples/orders-csv/expected/payloads/02-order-lines.jsonl", "/v1/order-lines"},
	}
	for _, f := range files {
		fh, err := os.Open(f.file)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		for n := 1; sc.Scan(); n++ {
			if a := onixCall(t, s, "POST", f.path, auth, sc.Text()); a.status != 200 {
				t.Errorf("%s:%d: %d %s", f.file, n, a.status, a.body)
			}
		}
		fh.Close()
	}
	orders, lines := s.OnixOrders(), s.OnixOrderLines()
	if len(orders) != 2 || len(lines) != 4 {
		t.Fatalf("%d orders, %d lines; want 2 and 4", len(orders), len(lines))
	}
	parent := map[int64]string{}
	for _, o := range orders {
		parent[o.OrderID] = o.Fields["orderImportId"].(string)
	}
	for _, l := range lines {
		imp, _ := l.Fields["orderLineImportId"].(string)
		if !strings.HasPrefix(imp, parent[l.OrderID]+"-") {
			t.Errorf("line %s under order %s", imp, parent[l.OrderID])
		}
	}
	// The same payloads again: updates, no new records.
	for _, f := range files {
		b, _ := os.ReadFile(f.file)
		for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			onixCall(t, s, "POST", f.path, auth, line)
		}
	}
	if len(s.OnixOrders()) != 2 || len(s.OnixOrderLines()) != 4 {
		t.Error("re-sending the sample created records")
	}
}

func TestOnixInspection(t *testing.T) {
	s := start(t, nil)
	createOrder(t, s, "A")
	createLine(t, s, "A", "A-1")
	a := onixCall(t, s, "GET", "/_sandbox/onixwork", "", "")
	var got struct {
		Orders     []OnixOrder     `json:"orders"`
		OrderLines []OnixOrderLine `json:"orderLines"`
	}
	if err := json.Unmarshal([]byte(a.body), &got); err != nil || a.status != 200 {
		t.Fatalf("%d %s", a.status, a.body)
	}
	if len(got.Orders) != 1 || len(got.OrderLines) != 1 || got.OrderLines[0].OrderID != got.Orders[0].OrderID {
		t.Errorf("inspection %s", a.body)
	}
	reqs := s.Requests()
	if len(reqs) != 2 || reqs[0].Path != "/v1/orders" || reqs[1].Path != "/v1/order-lines" || reqs[1].Status != 200 {
		t.Errorf("request log %+v", reqs)
	}
}
