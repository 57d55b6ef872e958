package sandbox

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

type taskState struct {
	Class      string `json:"class"`
	ID         int64  `json:"id"`
	Properties struct {
		Status         string  `json:"status"`
		StartedOn      *string `json:"startedOn"`
		CompletedOn    *string `json:"completedOn"`
		TotalSteps     int     `json:"totalSteps"`
		CompletedSteps int     `json:"completedSteps"`
		FailedSteps    int     `json:"failedSteps"`
	} `json:"properties"`
}

func (ts taskState) String() string {
	p := ts.Properties
	return fmt.Sprintf("%s %d/%d/%d started=%v completed=%v", p.Status, p.CompletedSteps, p.FailedSteps, p.TotalSteps, p.StartedOn != nil, p.CompletedOn != nil)
}

// pollTask polls the task at location until its state prints as want (or fails after 5s).
func pollTask(t *testing.T, s *Server, location, want string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	var last string
	for time.Now().Before(deadline) {
		a := call(t, s, "GET", "/"+location, "", "")
		var ts taskState
		if err := json.Unmarshal([]byte(a.body), &ts); err != nil || a.status != 200 || ts.Class != "BackgroundTask" {
			t.Fatalf("polling: %d %s", a.status, a.body)
		}
		if last = ts.String(); last == want {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatalf("task state %q, want %q", last, want)
}

func TestAsyncTaskSteps(t *testing.T) {
	body := importBody(siteType("A", "Create", "T1", ""), `{"entityType":"SiteType","action":"Create","userObjectId":"B","properties":{"code":"T2"}}`, siteType("C", "Create", "T3", ""))
	tests := []struct {
		name   string
		mode   string
		states []string // after 0, 1, 2, ... step releases
		stored int      // SiteTypes, the seeded one included
	}{
		{name: "PerRecord", mode: "PerRecord", stored: 3, states: []string{
			"Queued 0/0/3 started=false completed=false",
			"Running 0/0/3 started=true completed=false",
			"Running 1/0/3 started=true completed=false",
			"Running 1/1/3 started=true completed=false",
			"Completed 2/1/3 started=true completed=true",
		}},
		{name: "AllOrNone fails and applies nothing", mode: "AllOrNone", stored: 1, states: []string{
			"Queued 0/0/3 started=false completed=false",
			"Running 0/0/3 started=true completed=false",
			"Running 1/0/3 started=true completed=false",
			"Running 2/0/3 started=true completed=false",
			"Failed 0/1/3 started=true completed=true",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			gate := make(chan struct{})
			s := startHooked(t, nil, func(s *Server) {
				s.sleep = func(ctx context.Context, _ time.Duration) error {
					select {
					case <-gate:
						return nil
					case <-ctx.Done():
						return ctx.Err()
					}
				}
			})
			a := call(t, s, "POST", importPath+"?async=true&mode="+tc.mode, contentImport, body)
			id, loc := a.header.Get("OnKey-Request-Id"), a.header.Get("OnKey-Request-Location")
			if a.status != 202 || id == "" || loc != "api/tenants/demo/main/Modules/System/BackgroundTasks/"+id {
				t.Fatalf("%d id=%q location=%q %s", a.status, id, loc, a.body)
			}
			for i, want := range tc.states {
				if i > 0 {
					gate <- struct{}{}
				}
				pollTask(t, s, loc, want)
			}
			if n := len(s.Records("SiteType")); n != tc.stored {
				t.Errorf("%d SiteTypes stored, want %d", n, tc.stored)
			}
			// The short path of the documents' example answers too.
			pollTask(t, s, strings.Replace(loc, "Modules/System/", "", 1), tc.states[len(tc.states)-1])
			if r := s.Requests()[0]; fmt.Sprint(r.BackgroundTaskID) != id || r.Status != 202 {
				t.Errorf("logged %+v", r)
			}
		})
	}
}

func TestAsyncStepDelaySlowsTasks(t *testing.T) {
	s := start(t, func(c *Config) { c.Faults.AsyncStepDelay = 20 * time.Millisecond })
	begin := time.Now()
	a := call(t, s, "POST", importPath+"?async=true", contentImport, importBody(siteType("A", "Create", "T1", ""), siteType("B", "Create", "T2", "")))
	loc := a.header.Get("OnKey-Request-Location")
	pollTask(t, s, loc, "Completed 2/0/2 started=true completed=true")
	if d := time.Since(begin); d < 60*time.Millisecond {
		t.Errorf("the task took %v, want at least 3 steps of 20ms", d)
	}
	if a := call(t, s, "GET", "/modules/system/backgroundtasks/42", "", ""); a.status != 404 {
		t.Errorf("unknown task: %d", a.status)
	}
}
