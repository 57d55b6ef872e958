package sandbox

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/targets/onkey"
)

// TestReadImportAnswerDecodesTheSandbox: the client's decoder reads every answer the sandbox
// gives to an import.
func TestReadImportAnswerDecodesTheSandbox(t *testing.T) {
	bad := `{"entityType":"SiteType","action":"Create","userObjectId":"B","properties":{"code":"T2","permissionTreeId":{"code":"A20"}}}`
	tests := []struct {
		name    string
		query   string
		records []string
		status  int
		want    []string // per userObjectId: "A ok id v1" or "B failed Code..."
	}{
		{name: "PerRecord", query: "?mode=PerRecord", status: 200,
			records: []string{siteType("A", "Create", "T1", ""), bad, siteType("C", "Create", "T3", "")},
			want:    []string{"A ok id v1", "B failed Core_NotNullValidator", "C ok id v1"}},
		{name: "AllOrNone, a failure", query: "?mode=AllOrNone", status: 400,
			records: []string{siteType("A", "Create", "T1", ""), bad, siteType("C", "Create", "T3", "")},
			want:    []string{"A failed Core_TransactionRolledBack", "B failed Core_NotNullValidator", "C failed Core_TransactionRolledBack"}},
		{name: "AllOrNone, all succeed", query: "?mode=AllOrNone", status: 200,
			records: []string{siteType("A", "Create", "T1", ""), siteType("C", "Merge", "FAC", "")},
			want:    []string{"A ok id v1", "C ok id v2"}},
		{name: "async: accepted, outcomes unknown until reconciled", query: "?async=true", status: 202,
			records: []string{siteType("A", "Create", "T1", "")},
			want:    []string{"A unknown unknown"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := start(t, nil)
			a := call(t, s, "POST", importPath+tc.query, onkey.ImportContentType, importBody(tc.records...))
			if a.status != tc.status {
				t.Fatalf("status %d, want %d: %s", a.status, tc.status, a.body)
			}
			var uoids []string
			for _, w := range tc.want {
				uoids = append(uoids, strings.Fields(w)[0])
			}
			got := onkey.ReadImportAnswer(a.status, []byte(a.body), uoids, !strings.Contains(tc.query, "PerRecord"))
			var lines []string
			for _, u := range uoids {
				r := got[u]
				line := u + " ok"
				if r.ID != "" {
					line += fmt.Sprintf(" id v%d", r.Version)
				}
				if r.Outcome != onkey.Succeeded {
					line = u + " " + r.Outcome.String()
					for _, m := range r.Messages {
						line += " " + m.Code
					}
				}
				lines = append(lines, line)
			}
			if !slices.Equal(lines, tc.want) {
				t.Errorf("decoded %q, want %q\nbody: %s", lines, tc.want, a.body)
			}
		})
	}
}
