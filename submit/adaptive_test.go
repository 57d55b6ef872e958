package submit

import (
	"encoding/json"
	"testing"

	"github.com/bulkload/bulkload/targets"
)

// TestAdaptAndAccount: a fixed limit leaves the sender as it is and is accounted as configured;
// an adaptive one gives a copy its own Adaptive, leaves the original alone, and is accounted
// from what the Adaptive did; Hold closes only an Adaptive.
func TestAdaptAndAccount(t *testing.T) {
	base := &targets.Sender{Retries: 3}
	cases := []struct {
		name     string
		adaptive bool
		want     string
	}{
		{"fixed", false, `{"configured":8,"lowest":8,"final":8,"adaptive":false}`},
		{"adaptive", true, `{"configured":8,"lowest":8,"final":8,"adaptive":true,"throttled":0}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, a := Adapt(base, 8, c.adaptive, nil)
			if c.adaptive == (a == nil) || (s == base) == c.adaptive || s.Adaptive != a || base.Adaptive != nil {
				t.Fatalf("adaptive %v: sender %p (base %p), Adaptive %v", c.adaptive, s, base, a)
			}
			if s.Retries != base.Retries {
				t.Errorf("the copy lost the sender's settings: %+v", s)
			}
			got, _ := json.Marshal(Account(8, a))
			if string(got) != c.want {
				t.Errorf("account %s, want %s", got, c.want)
			}
			Hold(s) // must not panic without an Adaptive
		})
	}
}
