// Package hostile serves, for tests, the answers a misbehaving target or something in front of
// it gives: HTML pages, bodies that are not JSON, empty bodies, bodies larger than any limit and
// bodies that never end. Every handler stops when the client goes away.
package hostile

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// LoginPage is what a single sign-on proxy answers, with 200, to a call it does not let through.
const LoginPage = `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Sign in &ndash; Acme SSO</title>
  <style>body { font-family: sans-serif; }</style>
</head>
<body><form method="post" action="/login"><input name="user"><input name="password" type="password"></form></body>
</html>
`

// ErrorPage is what nginx answers when the API behind it fails.
const ErrorPage = "<html>\r\n<head><title>500 Internal Server Error</title></head>\r\n<body>\r\n" +
	"<center><h1>500 Internal Server Error</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"

// Body answers status with body as contentType ("" for none).
func Body(status int, contentType, body string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	})
}

// Huge answers status with a JSON array of size bytes or more, [{"userObjectId":"A0",…},…],
// written in chunks without a Content-Length, so that only reading tells its size. announce sets
// the Content-Length instead.
func Huge(status int, size int, announce bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		const elem = `{"userObjectId":"A0","status":"Succeeded","messages":[]},`
		chunk := []byte(strings.Repeat(elem, 1000))
		n := (size + len(chunk) - 1) / len(chunk)
		w.Header().Set("Content-Type", "application/json")
		if announce {
			w.Header().Set("Content-Length", strconv.Itoa(1+n*len(chunk)))
		}
		w.WriteHeader(status)
		if _, err := w.Write([]byte("[")); err != nil {
			return
		}
		for range n {
			if r.Context().Err() != nil {
				return
			}
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
}

// Trickle answers status with its headers at once, then a body that never ends: one byte of
// `[{"userObjectId":"A","status":"Succeeded"}` (then spaces) every interval, until the client
// goes away.
func Trickle(status int, every time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		flusher, _ := w.(http.Flusher)
		if flusher != nil {
			flusher.Flush()
		}
		const start = `[{"userObjectId":"A","status":"Succeeded"}`
		t := time.NewTicker(every)
		defer t.Stop()
		for i := 0; ; i++ {
			select {
			case <-r.Context().Done():
				return
			case <-t.C:
			}
			b := byte(' ')
			if i < len(start) {
				b = start[i]
			}
			if _, err := w.Write([]byte{b}); err != nil {
				return
			}
			if flusher != nil {
				flusher.Flush()
			}
		}
	})
}

// Silent reads the request and never answers, until the client goes away (which the server
// notices only once the request body is read).
func Silent() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		<-r.Context().Done()
	})
}

// Counting serves h on a new test server that counts the requests it gets. The caller closes
// the server.
func Counting(h http.Handler) (*httptest.Server, *atomic.Int32) {
	var calls atomic.Int32
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		h.ServeHTTP(w, r)
	})), &calls
}

// CheckCall reports on t a call the target saw other than attempts times, or that took longer
// than attempts x timeout (with a second of slack for a loaded machine).
func CheckCall(t testing.TB, seen, attempts int, took, timeout time.Duration) {
	t.Helper()
	if seen != attempts {
		t.Errorf("the target saw %d request(s), want %d", seen, attempts)
	}
	if limit := time.Duration(attempts)*timeout + time.Second; took > limit {
		t.Errorf("the call took %v, want no more than %v", took, limit)
	}
}

// CheckOutcome reports on t an outcome other than want (with prefix: not starting with want),
// or one that is not a single short line.
func CheckOutcome(t testing.TB, got, want string, prefix bool) {
	t.Helper()
	t.Logf("%s", got)
	if got != want && !(prefix && strings.HasPrefix(got, want)) {
		t.Errorf("outcome\n got  %s\n want %s", got, want)
	}
	if len([]rune(got)) > 400 || strings.ContainsAny(got, "\r\n") {
		t.Errorf("the outcome is %d characters long or has a line break", len([]rune(got)))
	}
}
