package schemas

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"slices"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// compileOnixWork compiles every embedded model, each able to refer to the others.
func compileOnixWork(t *testing.T) map[string]*jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.AssertFormat = true
	for _, n := range OnixWorkModels() {
		b, _ := OnixWorkModel(n)
		if err := c.AddResource(OnixWorkModelURL(n), bytes.NewReader(b)); err != nil {
			t.Fatalf("%s: %v", n, err)
		}
	}
	out := map[string]*jsonschema.Schema{}
	for _, n := range OnixWorkModels() {
		s, err := c.Compile(OnixWorkModelURL(n))
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		out[n] = s
	}
	return out
}

func TestOnixWorkModelsCompile(t *testing.T) {
	want := []string{"OrderInfo", "OrderLineInfo", "OrderLineItemSerialInfo", "OrderLineItemsInfo", "OrderLinePropertiesInfo", "TokenRequest"}
	if got := OnixWorkModels(); !slices.Equal(got, want) {
		t.Fatalf("models %v, want %v", got, want)
	}
	compileOnixWork(t)
	for _, bad := range []string{"", "Nope", "../job", "onixwork/OrderInfo"} {
		if _, ok := OnixWorkModel(bad); ok {
			t.Errorf("OnixWorkModel(%q) found something", bad)
		}
	}
}

// TestOnixWorkModelsDescribeEveryField: every property says where it comes from (seen or assumed).
func TestOnixWorkModelsDescribeEveryField(t *testing.T) {
	for _, n := range OnixWorkModels() {
		b, _ := OnixWorkModel(n)
		var m struct {
			Properties map[string]struct {
				Description string `json:"description"`
			} `json:"properties"`
		}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		for p, d := range m.Properties {
			if d.Description == "" {
				t.Errorf("%s.%s has no description", n, p)
			}
		}
	}
}

// TestOnixWorkSamplePayloadsValidate: what samples/orders-csv sends fits the models.
func TestOnixWorkSamplePayloadsValidate(t *testing.T) {
	models := compileOnixWork(t)
	tests := []struct {
		name, file, model string
	}{
		{"orders", "../samples/orders-csv/expected/payloads/01-orders.jsonl", "OrderInfo"},
		{"order lines", "../samples/orders-csv/expected/payloads/02-order-lines.jsonl", "OrderLineInfo"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := os.Open(tc.file)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			sc := bufio.NewScanner(f)
			n := 0
			for sc.Scan() {
				n++
				dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
				dec.UseNumber()
				var v any
				if err := dec.Decode(&v); err != nil {
					t.Fatalf("line %d: %v", n, err)
				}
				if err := models[tc.model].Validate(v); err != nil {
					t.Errorf("line %d: %#v", n, err)
				}
			}
			if n == 0 {
				t.Fatal("no payloads")
			}
		})
	}
}

func TestOnixWorkModelsReject(t *testing.T) {
	models := compileOnixWork(t)
	tests := []struct {
		name, model, body string
	}{
		{"import id too long", "OrderInfo", `{"orderImportId":"` + string(bytes.Repeat([]byte("x"), 51)) + `"}`},
		{"bad date", "OrderInfo", `{"erpOrderDate":"03.11.2026"}`},
		{"unknown field", "OrderInfo", `{"colour":"red"}`},
		{"unknown line type", "OrderLineInfo", `{"type":"Gadget"}`},
		{"item field type", "OrderLineItemsInfo", `{"items":[{"serialNumber":5}]}`},
		{"no items", "OrderLineItemsInfo", `{}`},
		{"property without a name", "OrderLinePropertiesInfo", `{"properties":[{"value":"x"}]}`},
		{"no password", "TokenRequest", `{"username":"u"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dec := json.NewDecoder(bytes.NewReader([]byte(tc.body)))
			dec.UseNumber()
			var v any
			if err := dec.Decode(&v); err != nil {
				t.Fatal(err)
			}
			if models[tc.model].Validate(v) == nil {
				t.Errorf("%s accepted %s", tc.model, tc.body)
			}
		})
	}
}
