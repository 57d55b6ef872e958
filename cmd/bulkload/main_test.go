package main

import (
	"os"
	"testing"
)

// asMainEnv, set to 1, makes the test binary run as bulkload itself: the tests that must kill a
// run start it that way, as a process of its own.
const asMainEnv = "BULKLOAD_TEST_AS_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(asMainEnv) == "1" {
		main()
	}
	os.Exit(m.Run())
}
