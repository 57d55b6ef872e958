package onkey

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/bulkload/bulkload/targets"
)

// Task is the state of the background task of an async request (seed 004:
// {"class":"BackgroundTask","id":..,"properties":{status, totalSteps, completedSteps, failedSteps, ...}}).
type Task struct {
	ID             string
	Status         string
	TotalSteps     int
	CompletedSteps int
	FailedSteps    int
}

// Done reports whether the task has ended. Completed is documented; Failed and Cancelled are
// assumed, as is any status naming an end ("Succeeded", "Aborted").
func (t Task) Done() bool {
	switch strings.ToLower(t.Status) {
	case "completed", "succeeded", "failed", "cancelled", "canceled", "aborted":
		return true
	}
	return false
}

// OK reports whether the task ended with every step done and none failed.
func (t Task) OK() bool {
	s := strings.ToLower(t.Status)
	return (s == "completed" || s == "succeeded") && t.FailedSteps == 0
}

// ReadTask decodes a background task answer, tolerating the properties at the top level too.
func ReadTask(body []byte) (Task, error) {
	var raw taskAnswer
	if err := json.Unmarshal(body, &raw); err != nil {
		return Task{}, fmt.Errorf("the background task answer is not JSON: %v: %s", shortJSONError(err), targets.Snippet(body))
	}
	f := raw.taskFields
	if raw.Properties != nil {
		f = *raw.Properties
	}
	if f.Status == "" {
		return Task{}, fmt.Errorf("the background task answer has no status: %s", targets.Snippet(body))
	}
	return Task{ID: idText(raw.ID), Status: f.Status, TotalSteps: f.TotalSteps,
		CompletedSteps: f.CompletedSteps, FailedSteps: f.FailedSteps}, nil
}

// idText is an id given as a JSON string (its text) or number (its literal); "" for anything else.
func idText(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '"' && raw[0] != '-' && (raw[0] < '0' || raw[0] > '9') {
		return ""
	}
	return unquote(raw)
}

// taskAnswer is a background task answer. It is a named type so that a decoding error names it
// in a few words rather than spelling out the struct.
type taskAnswer struct {
	ID         json.RawMessage `json:"id"`
	Properties *taskFields     `json:"properties"`
	taskFields
}

type taskFields struct {
	Status         string `json:"status"`
	TotalSteps     int    `json:"totalSteps"`
	CompletedSteps int    `json:"completedSteps"`
	FailedSteps    int    `json:"failedSteps"`
}

// TaskURL is the absolute URL of an async request's task from its OnKey-Request-Location
// header. Seed 004 shows it without a leading slash ("api/tenants/{client}/{connection}/
// BackgroundTasks/1584247614480001"): relative to the target's base URL, where "api/" hangs. A
// location with a leading slash is taken from the server's root, an absolute one as it is.
func TaskURL(baseURL, location string) (string, error) {
	if location == "" {
		return "", fmt.Errorf("202 Accepted without an OnKey-Request-Location header")
	}
	loc, err := url.Parse(location)
	if err != nil {
		return "", fmt.Errorf("OnKey-Request-Location %q: %v", location, err)
	}
	if loc.IsAbs() {
		return location, nil
	}
	if !strings.HasPrefix(location, "/") {
		return strings.TrimRight(baseURL, "/") + "/" + location, nil
	}
	base, err := url.Parse(baseURL)
	if err != nil {
		return "", err
	}
	return base.ResolveReference(loc).String(), nil
}
