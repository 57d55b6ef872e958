package sandbox

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

const onixKey = "Key sandbox-key"

// onixCall sends one request to the Onix Work surface of s with the Authorization header auth
// ("" sends none) and a JSON body (GET when body is ""). It never reuses a connection.
func onixCall(t *testing.T, s *Server, method, path, auth, body string) answer {
	t.Helper()
	a, err := onixTry(s, method, path, auth, body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	return a
}

func onixTry(s *Server, method, path, auth, body string) (answer, error) {
	req, err := http.NewRequest(method, s.URL()+path, strings.NewReader(body))
	if err != nil {
		return answer{}, err
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, header: resp.Header, body: strings.TrimSpace(string(b))}, err
}

// onixPost posts body to path with the default long-lived key and wants status.
func onixPost(t *testing.T, s *Server, path, body string, status int) answer {
	t.Helper()
	a := onixCall(t, s, "POST", path, onixKey, body)
	if a.status != status {
		t.Fatalf("POST %s %s: %d %s, want %d", path, body, a.status, a.body, status)
	}
	return a
}

// onixID posts body and returns the bare integer id answered.
func onixID(t *testing.T, s *Server, path, body string) int64 {
	t.Helper()
	a := onixPost(t, s, path, body, 200)
	var id int64
	if err := json.Unmarshal([]byte(a.body), &id); err != nil {
		t.Fatalf("not a bare integer: %s", a.body)
	}
	return id
}

// problem decodes validation problem details and checks their fixed parts.
func problem(t *testing.T, a answer) onixProblem {
	t.Helper()
	var p onixProblem
	if err := json.Unmarshal([]byte(a.body), &p); err != nil {
		t.Fatalf("not problem details: %v\n%s", err, a.body)
	}
	if p.Status != a.status || !strings.HasPrefix(p.TraceID, "00-") || len(p.TraceID) != 55 {
		t.Errorf("problem details %+v", p)
	}
	return p
}

// logic decodes a logic error body.
func logic(t *testing.T, a answer) []onixLogicError {
	t.Helper()
	var errs []onixLogicError
	if a.status != 400 {
		t.Fatalf("status %d, want 400: %s", a.status, a.body)
	}
	if err := json.Unmarshal([]byte(a.body), &errs); err != nil || len(errs) == 0 {
		t.Fatalf("not a logic error: %v\n%s", err, a.body)
	}
	return errs
}

// onixOrder creates an order with import id imp and returns its id.
func createOrder(t *testing.T, s *Server, imp string) int64 {
	t.Helper()
	return onixID(t, s, "/v1/orders", `{"orderImportId":"`+imp+`","customerExternalId":"K-1001"}`)
}

// createLine creates a line imp of the order with import id order and returns its id.
func createLine(t *testing.T, s *Server, order, imp string) int64 {
	t.Helper()
	return onixID(t, s, "/v1/order-lines", `{"orderImportId":"`+order+`","orderLineImportId":"`+imp+`","type":"Unique"}`)
}
