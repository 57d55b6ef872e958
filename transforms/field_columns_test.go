package transforms

import (
	"reflect"
	"testing"
)

func TestFieldColumns(t *testing.T) {
	job := writeJob(t, `version: 1
name: t
target: {kind: onkey, url: "http://127.0.0.1:1", tenant: t, connection: c, auth: {kind: none}}
sources:
  - {name: s, file: s.csv, schema: row.schema.json}
entities:
  - name: site
    source: s
    entityType: Site
    action: Merge
    userObjectId: row.sap_id
    id: code(row.code)
    properties:
      code: row.code
      description: trim(row.name) + " " + row.town + row.name
      siteTypeId: '{"converter": "ReferenceLookup", "code": row.site_type}'
      fixed: '"x"'
`, map[string]string{"s.csv": "sap_id,code,name,town,site_type\n", "row.schema.json": rowSchema})
	ms, err := Compile(job)
	if err != nil {
		t.Fatal(err)
	}
	got := ms.ForSource("s")[0].FieldColumns()
	want := map[string][]string{
		"userObjectId":           {"sap_id"},
		"id":                     {"code"},
		"properties.code":        {"code"},
		"properties.description": {"name", "town"},
		"properties.siteTypeId":  {"site_type"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("FieldColumns = %v\nwant %v", got, want)
	}
}
