// Package storetest lets tests outside runstore damage a run store as a bad day would: a lost
// transaction, a careless hand with sqlite3. It is for tests only; the run store's contract for
// everything else is package runstore's API.
package storetest

import (
	"database/sql"
	"testing"

	_ "modernc.org/sqlite" // the run store's driver
)

// Edit runs statements, in order, on the SQLite database at path (a run store no process has
// open), failing t at the first that fails.
func Edit(t testing.TB, path string, statements ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range statements {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}
