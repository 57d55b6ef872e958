package report

import (
	"reflect"
	"testing"

	"github.com/bulkload/bulkload/readers"
	"github.com/bulkload/bulkload/record"
)

// TestTracedServerMessages checks how a server message about a property is put on the cells the
// property is built from, for each way the targets name a property.
func TestTracedServerMessages(t *testing.T) {
	fields := map[string][]string{
		"id":                          {"code"},
		"userObjectId":                {"sap_id"},
		"properties.code":             {"code"},
		"properties.siteTypeId":       {"site_type"},
		"properties.description":      {"name", "town"},
		"properties.lines[0].qty":     {"qty"},
		"properties.customerName":     {"customer"},
		"properties.permissionTreeId": {"permission_tree"},
	}
	row := &readers.Row{Columns: []string{"sap_id", "code", "name", "town", "site_type", "qty", "customer", "permission_tree"},
		Values: []any{"S1", "JNB", "East", "Joburg", "NOPE", "x", "ACME", nil}, Origin: readers.Origin{File: "sites.csv", Line: 7}}
	on := func(col, value string) record.Message {
		return record.Message{Code: "C", Property: col, Cell: "sites.csv:7:" + col, Value: value, Line: 7, Text: "bad"}
	}
	tests := []struct {
		name string
		msg  record.Message
		want []record.Message
	}{
		{"On Key properties list", record.Message{Code: "C", Property: "Site->SiteType_Id", Text: "bad"},
			[]record.Message{withField(on("site_type", "NOPE"), "Site->SiteType_Id")}},
		{"On Key property in the text", record.Message{Code: "C", Text: "bad {Site->SiteType_Id}."},
			[]record.Message{withText(withField(on("site_type", "NOPE"), "Site->SiteType_Id"), "bad {Site->SiteType_Id}.")}},
		{"camelCase name", record.Message{Code: "C", Property: "siteTypeId", Text: "bad"},
			[]record.Message{withField(on("site_type", "NOPE"), "siteTypeId")}},
		{"several columns", record.Message{Code: "C", Property: "Site->Description", Text: "bad"},
			[]record.Message{withField(on("name", "East"), "Site->Description"), withField(on("town", "Joburg"), "Site->Description")}},
		{"Onix Work member path", record.Message{Code: "C", Property: "Lines[0].Qty", Text: "bad"},
			[]record.Message{withField(on("qty", "x"), "Lines[0].Qty")}},
		{"Onix Work JSON path", record.Message{Code: "C", Property: "$.customerName", Text: "bad"},
			[]record.Message{withField(on("customer", "ACME"), "$.customerName")}},
		{"the entity's id", record.Message{Code: "C", Property: "Site", Text: "bad"},
			[]record.Message{withField(on("code", "JNB"), "Site")}},
		{"an empty cell has no value", record.Message{Code: "C", Property: "Site->PermissionTree_Id", Text: "bad"},
			[]record.Message{withField(on("permission_tree", ""), "Site->PermissionTree_Id")}},
		{"no column", record.Message{Code: "C", Property: "Site->Currency_Id", Text: "bad"},
			[]record.Message{{Code: "C", Property: "Site->Currency_Id", Field: "Site->Currency_Id",
				Text: "bad (bulkload found no source column for Site->Currency_Id)"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			names := serverProperties(tt.msg)
			if names == nil {
				t.Fatalf("serverProperties(%+v) = nil", tt.msg)
			}
			got := traced(tt.msg, names, fields, "Site", row, false)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("traced =\n%+v\nwant\n%+v", got, tt.want)
			}
			// Traced once, a message is not traced again.
			for _, m := range got {
				if m.Cell != "" && serverProperties(m) != nil {
					t.Errorf("traced message %+v would be traced again", m)
				}
			}
		})
	}
}

func withField(m record.Message, field string) record.Message { m.Field = field; return m }
func withText(m record.Message, text string) record.Message   { m.Text = text; return m }
