package onkey

import "testing"

func TestReadTask(t *testing.T) {
	tests := []struct {
		body     string
		want     Task
		done, ok bool
		err      bool
	}{
		{`{"class":"BackgroundTask","id":1584247614480001,"properties":{"status":"Running","totalSteps":10,"completedSteps":4,"failedSteps":0}}`,
			Task{ID: "1584247614480001", Status: "Running", TotalSteps: 10, CompletedSteps: 4}, false, false, false},
		{`{"id":"7","properties":{"status":"Completed","totalSteps":3,"completedSteps":3}}`,
			Task{ID: "7", Status: "Completed", TotalSteps: 3, CompletedSteps: 3}, true, true, false},
		{`{"id":8,"status":"Completed","totalSteps":3,"completedSteps":2,"failedSteps":1}`,
			Task{ID: "8", Status: "Completed", TotalSteps: 3, CompletedSteps: 2, FailedSteps: 1}, true, false, false},
		{`{"id":9,"properties":{"status":"Failed","failedSteps":2}}`, Task{ID: "9", Status: "Failed", FailedSteps: 2}, true, false, false},
		{`<html>`, Task{}, false, false, true},
		{`{"id":1}`, Task{}, false, false, true},
	}
	for _, tt := range tests {
		got, err := ReadTask([]byte(tt.body))
		if (err != nil) != tt.err {
			t.Fatalf("%s: error %v", tt.body, err)
		}
		if got != tt.want || got.Done() != tt.done || got.OK() != tt.ok {
			t.Errorf("%s: %+v done %v ok %v; want %+v %v %v", tt.body, got, got.Done(), got.OK(), tt.want, tt.done, tt.ok)
		}
	}
}

func TestTaskURL(t *testing.T) {
	tests := []struct{ base, location, want string }{
		{"http://h:1", "api/tenants/a/b/BackgroundTasks/5", "http://h:1/api/tenants/a/b/BackgroundTasks/5"},
		{"https://h/onkey/", "api/tenants/a/b/BackgroundTasks/5", "https://h/onkey/api/tenants/a/b/BackgroundTasks/5"},
		{"https://h/onkey", "/api/tenants/a/b/BackgroundTasks/5", "https://h/api/tenants/a/b/BackgroundTasks/5"},
		{"http://h:1", "https://other/t/5", "https://other/t/5"},
	}
	for _, tt := range tests {
		if got, err := TaskURL(tt.base, tt.location); err != nil || got != tt.want {
			t.Errorf("TaskURL(%q, %q) = %q, %v; want %q", tt.base, tt.location, got, err, tt.want)
		}
	}
	if _, err := TaskURL("http://h:1", ""); err == nil {
		t.Error("no location: no error")
	}
}
