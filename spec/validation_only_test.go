package spec

import "testing"

// TestValidationOnlyJobs: target and entities may be left out together (a job that only types
// and validates rows); entities without a target are refused, saying what to do.
func TestValidationOnlyJobs(t *testing.T) {
	files := func(rest string) map[string]string {
		return map[string]string{"s.csv": "id\n1\n", "s.schema.json": `{"type":"object"}`,
			"job.yaml": "version: 1\nname: v\nsources:\n  - {name: s, file: s.csv, schema: s.schema.json}\n" + rest}
	}
	tests := []struct {
		name      string
		rest      string
		onlyValid bool
		errs      string
	}{
		{name: "no target, no entities", onlyValid: true},
		{name: "target, no entities", rest: "target: {kind: onixwork, url: \"http://127.0.0.1:1\"}\n", onlyValid: true},
		{name: "entities without target", rest: "entities:\n  - {name: e, source: s, endpoint: /v1/orders, userObjectId: row.id}\n",
			errs: `job.yaml:6:3: entities: entities need a target to map rows to: add target: (kind and url), or remove entities: for a validation-only job (rows only typed and validated)`},
		{name: "target and entities", rest: "target: {kind: onixwork, url: \"http://127.0.0.1:1\"}\nentities:\n  - {name: e, source: s, endpoint: /v1/orders, userObjectId: row.id}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			job, errs := loadIn(t, files(tt.rest), nil)
			if errs != tt.errs {
				t.Fatalf("errors:\n%s\nwant:\n%s", errs, tt.errs)
			}
			if job != nil && job.ValidationOnly() != tt.onlyValid {
				t.Errorf("ValidationOnly() = %v, want %v", job.ValidationOnly(), tt.onlyValid)
			}
		})
	}
}
