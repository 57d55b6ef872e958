package record

import "testing"

func TestCountStatus(t *testing.T) {
	rs := []Result{{Status: Pending}, {Status: Succeeded}, {Status: Pending}, {Status: Unknown}}
	for status, want := range map[Status]int{Pending: 2, Succeeded: 1, Unknown: 1, Failed: 0} {
		if got := CountStatus(rs, status); got != want {
			t.Errorf("CountStatus(%s) = %d, want %d", status, got, want)
		}
	}
}
