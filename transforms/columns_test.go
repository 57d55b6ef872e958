package transforms

import (
	"testing"

	"github.com/bulkload/bulkload/spec"
)

func TestUses(t *testing.T) {
	tests := []struct {
		name  string
		exprs []string
		uses  []string
		not   []string
	}{
		{name: "member access", exprs: []string{"row.a", `upper(row["b"])`}, uses: []string{"a", "b"}, not: []string{"c"}},
		{name: "optional member", exprs: []string{"row?.a ?? 'x'"}, uses: []string{"a"}, not: []string{"b"}},
		{name: "no row", exprs: []string{`"x"`, "parent.id"}, not: []string{"a"}},
		{name: "dynamic key reads any column", exprs: []string{`row["k" + "1"]`}, uses: []string{"k1", "zzz"}},
		{name: "whole row reads any column", exprs: []string{"len(row)"}, uses: []string{"anything"}},
		{name: "when and parent count", exprs: []string{"row.a"}, uses: []string{"a", "w", "p"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			props := &spec.Value{}
			for i, e := range tc.exprs {
				props.Fields = append(props.Fields, spec.Field{Name: string(rune('a' + i)), Value: ex(e)})
			}
			e := spec.Entity{Name: "e", Source: "s", Endpoint: "/v1/x", UserObjectID: ex(`"k"`), Properties: props}
			if tc.name == "when and parent count" {
				e.When = ex("row.w != nil")
				e.Parent = &spec.ParentRef{Entity: "e", UserObjectID: ex("row.p")}
			}
			job := &spec.Job{File: "job.yaml", Target: spec.Target{Kind: spec.OnixWork},
				Sources: []spec.Source{{Name: "s"}}, Entities: []spec.Entity{e}}
			m := mustCompile(t, job).All()[0]
			for _, c := range tc.uses {
				if !m.Uses(c) {
					t.Errorf("Uses(%q) = false, want true", c)
				}
			}
			for _, c := range tc.not {
				if m.Uses(c) {
					t.Errorf("Uses(%q) = true, want false", c)
				}
			}
		})
	}
}
