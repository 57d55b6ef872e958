package targets

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// http:// passes only to this machine; the refusal names the URL (without its user information)
// and the way out.
func TestCheckPlainHTTP(t *testing.T) {
	tests := []struct {
		name, url string
		refused   bool
	}{
		{name: "https elsewhere", url: "https://onkey.example.com"},
		{name: "http to 127.0.0.1", url: "http://127.0.0.1:8080/api"},
		{name: "http to 127.9.9.9", url: "http://127.9.9.9"},
		{name: "http to ::1", url: "http://[::1]:9000"},
		{name: "http to localhost", url: "http://LOCALHOST:9000"},
		{name: "http to a .localhost name", url: "http://sandbox.localhost"},
		{name: "http elsewhere", url: "http://onkey.example.com", refused: true},
		{name: "http with user info", url: "http://user:secret@onkey.example.com", refused: true},
		{name: "http to a LAN address", url: "http://10.0.0.5:8080", refused: true},
		{name: "http to a name that starts like localhost", url: "http://localhost.example.com", refused: true},
		{name: "HTTP upper case", url: "HTTP://onkey.example.com", refused: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckPlainHTTP("target.url", tc.url)
			if (err != nil) != tc.refused {
				t.Fatalf("CheckPlainHTTP(%q) = %v, want refused %v", tc.url, err, tc.refused)
			}
			if err == nil {
				return
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "target.url http") || !strings.Contains(msg, "--insecure") || !strings.Contains(msg, "https://") {
				t.Errorf("message %q: want the URL, https:// and --insecure named", msg)
			}
			if strings.Contains(msg, "secret") {
				t.Errorf("message %q shows the URL's password", msg)
			}
		})
	}
}

// A 3xx answer is never followed, whatever the method: the call fails with a *RedirectError
// naming the Location, and the server it points to receives nothing.
func TestSenderRefusesRedirects(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { elsewhere.Add(1) }))
	defer other.Close()
	for _, status := range []int{301, 302, 303, 307, 308} {
		for _, method := range []string{"POST", "GET"} {
			first := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, other.URL+"/api/imports", status)
			}))
			s := &Sender{Auth: &refreshing{}, Retries: 3}
			_, err := s.Send(context.Background(), Call{Method: method, URL: first.URL + "/api/imports", Body: []byte(`[{"code":"A"}]`), Idempotent: true})
			first.Close()
			re, ok := err.(*RedirectError)
			if !ok || re.Status != status || re.Location != other.URL+"/api/imports" {
				t.Errorf("%s answered %d: err %v, want a *RedirectError naming the Location", method, status, err)
				continue
			}
			if !strings.Contains(err.Error(), other.URL+"/api/imports") {
				t.Errorf("message %q does not name the Location", err)
			}
		}
	}
	if n := elsewhere.Load(); n != 0 {
		t.Errorf("the redirect's target received %d requests, want none", n)
	}
}

// A token request that is redirected fails naming the Location; the password never reaches it.
func TestTokenRequestRefusesRedirects(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { elsewhere.Add(1) }))
	defer other.Close()
	first := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/v1/Account/token", http.StatusTemporaryRedirect)
	}))
	defer first.Close()
	auth := NewPasswordAuth(first.URL+"/v1/Account/token", "u", "p", 3600e9, &http.Client{CheckRedirect: RefuseRedirect})
	_, err := auth.Header(context.Background())
	if err == nil || !strings.Contains(err.Error(), "redirected (HTTP 307) to "+other.URL+"/v1/Account/token") {
		t.Errorf("token fetch: %v, want a refused redirect naming its Location", err)
	}
	if n := elsewhere.Load(); n != 0 {
		t.Errorf("the redirect's target received %d requests, want none", n)
	}
}
