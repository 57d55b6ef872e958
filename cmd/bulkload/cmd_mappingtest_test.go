package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMappingTestsOfEverySamplePass runs `bulkload test` on every sample, as CI does: each sample
// carries tests of valid and invalid rows, and all of them pass.
func TestMappingTestsOfEverySamplePass(t *testing.T) {
	specs, err := filepath.Glob("../../samples/*/job.yaml")
	if err != nil || len(specs) < 4 {
		t.Fatalf("samples: %v (found %d)", err, len(specs))
	}
	for _, spec := range specs {
		t.Run(filepath.Base(filepath.Dir(spec)), func(t *testing.T) {
			code, out, errOut := runCLI(t, "test", spec)
			if code != exitOK || strings.Contains(out, "FAIL") || !strings.Contains(out, " passed, 0 failed\n") {
				t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
			}
			tests, err := readMapTests(testsFileFor(spec))
			if err != nil {
				t.Fatal(err)
			}
			var valid, invalid bool
			for _, mt := range tests.tests {
				for _, r := range mt.records {
					valid = valid || r.Status == "valid"
					invalid = invalid || r.Status == "invalid"
				}
			}
			if !valid || !invalid || len(tests.tests) < 4 {
				t.Errorf("%d tests, valid rows tested: %v, invalid rows tested: %v; want at least 4 covering both", len(tests.tests), valid, invalid)
			}
		})
	}
}

// copySample copies a sample folder into a temporary one and returns the copy's job.yaml.
func copySample(t *testing.T, name string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), name)
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("../../samples", name))); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, "job.yaml")
}

func writeTests(t *testing.T, job, text string) string {
	t.Helper()
	path := testsFileFor(job)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// ordersRow is one valid row of samples/orders-csv, as a test writes it.
const ordersRow = `{Ordrenr: "10001", Ordredato: 03.11.2026, Kundenr: K-1001, Linjenr: "1", Produkt: Skuffe, Antall: "2", Enhetspris: "48 900,50"}`

// TestBrokenExpectationFailsWithDiff: a test whose expectation is wrong fails with exit 1 and a
// unified diff that shows exactly what differs; the passing test beside it still passes.
func TestBrokenExpectationFailsWithDiff(t *testing.T) {
	job := copySample(t, "orders-csv")
	writeTests(t, job, `tests:
  - name: passes
    rows: [`+ordersRow+`]
    expect:
      records:
        - {entity: order, userObjectId: ORD-10001, status: valid}
        - {entity: order_line, userObjectId: ORD-10001/1, status: valid}
  - name: wrong quantity and status
    rows: [`+ordersRow+`]
    expect:
      records:
        - {entity: order, userObjectId: ORD-10001, status: invalid}
        - entity: order_line
          userObjectId: ORD-10001/1
          status: valid
          body: {orderImportId: "10001", orderLineImportId: 10001-001, type: Unique, productName: Skuffe, quantity: 5, unitPrice: 48900.5}
`)
	code, out, errOut := runCLI(t, "test", "--coverage=false", job)
	if code != exitSomeFailed {
		t.Fatalf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	want := `PASS  passes (` + relPath(testsFileFor(job)) + `:2)
FAIL  wrong quantity and status (` + relPath(testsFileFor(job)) + `:8)
      --- expected
      +++ actual
      @@ -1,7 +1,7 @@
       records:
           - entity: order
             userObjectId: ORD-10001
      -      status: invalid
      +      status: valid
           - entity: order_line
             userObjectId: ORD-10001/1
             status: valid
      @@ -9,6 +9,6 @@
               orderImportId: "10001"
               orderLineImportId: 10001-001
               productName: Skuffe
      -        quantity: 5
      +        quantity: 2
               type: Unique
               unitPrice: 48900.5
tests: 1 passed, 1 failed
`
	if out != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", out, want)
	}
}

// TestUnexpectedAndMissingErrorsShowInTheDiff: an error the test does not expect shows with its
// whole text on the actual side; one that does not happen shows on the expected side only.
func TestUnexpectedAndMissingErrorsShowInTheDiff(t *testing.T) {
	job := copySample(t, "orders-csv")
	writeTests(t, job, `tests:
  - name: bad quantity
    rows: [{Ordrenr: "10001", Ordredato: 03.11.2026, Kundenr: K-1001, Linjenr: "1", Produkt: Skuffe, Antall: "tre"}]
    expect:
      errors:
        - {code: type, column: Linjenr}
`)
	code, out, _ := runCLI(t, "test", "--coverage=false", job)
	if code != exitSomeFailed {
		t.Fatalf("exit %d, want 1\n%s", code, out)
	}
	for _, line := range []string{
		"      -      column: Linjenr\n",
		"      +      column: Antall\n      +      cell: ordrelinjer.csv:2:Antall\n",
		`      +        - '"tre" is not a number (decimal separator ",")'` + "\n",
	} {
		if !strings.Contains(out, line) {
			t.Errorf("stdout lacks\n%s\ngot:\n%s", line, out)
		}
	}
}
