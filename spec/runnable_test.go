package spec

import (
	"strings"
	"testing"
)

func TestCheckRunnable(t *testing.T) {
	tests := []struct {
		name string
		job  Job
		want string // a part of the error; "" for none
	}{
		{name: "entities", job: Job{Name: "j", Entities: []Entity{{Name: "e"}}}},
		{name: "a target, no entities", job: Job{Name: "j", File: "j.yaml", Target: Target{Kind: OnKey}}, want: "job j has no entities, so it can only be validated (bulkload validate j.yaml)"},
		{name: "nothing", job: Job{Name: "j", File: "j.yaml"}, want: "job j has no target and no entities"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.job.CheckRunnable()
			if (err == nil) != (tc.want == "") || err != nil && !strings.Contains(err.Error(), tc.want) {
				t.Errorf("CheckRunnable: %v; want %q", err, tc.want)
			}
		})
	}
}
