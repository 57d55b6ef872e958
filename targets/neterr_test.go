package targets

import (
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// NetCause names a connection refused, a host name that does not resolve and a connect timeout
// in words, from the errors the client really returns; anything else (a request that may have
// been sent) is "".
func TestNetCause(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().String()
	l.Close()
	get := func(url string) error {
		req, _ := http.NewRequestWithContext(context.Background(), "GET", url, nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		return err
	}
	timeout := &net.OpError{Op: "dial", Net: "tcp", Addr: &net.TCPAddr{IP: net.IPv4(10, 0, 0, 5), Port: 443}, Err: os.ErrDeadlineExceeded}
	tests := []struct {
		name string
		err  error
		want string // "" for no cause
	}{
		{name: "connection refused", err: get("http://" + closed), want: "connection refused (nothing listens at " + closed + ")"},
		{name: "no such host", err: get("http://bulkload-nowhere.invalid"), want: "the host name bulkload-nowhere.invalid does not resolve"},
		{name: "connect timeout", err: timeout, want: "timed out connecting to 10.0.0.5:443"},
		{name: "no route", err: &net.OpError{Op: "dial", Net: "tcp", Addr: &net.TCPAddr{IP: net.IPv4(10, 0, 0, 6), Port: 80}, Err: os.NewSyscallError("connect", syscall.EHOSTUNREACH)},
			want: "no route to 10.0.0.6:80"},
		{name: "reset after sending", err: &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}},
		{name: "other", err: errors.New("boom")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := NetCause(tc.err)
			if (tc.want == "") != (got == "") || !strings.HasPrefix(got, tc.want) {
				t.Errorf("NetCause(%v) = %q, want %q", tc.err, got, tc.want)
			}
		})
	}
}

// A token endpoint that cannot be reached is a transport failure naming the cause, never a
// refusal of the credentials.
func TestUnreachableTokenEndpointIsNotRefusedCredentials(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String()
	l.Close()
	s := &Sender{Auth: NewPasswordAuth(closed+"/v1/Account/token", "u", "p", time.Hour, nil)}
	_, err = s.Send(context.Background(), Call{Method: "GET", URL: closed + "/v1/company/order-statuses", Idempotent: true})
	var te *TransportError
	if !errors.As(err, &te) || te.Ambiguous || IsAuth(err) {
		t.Fatalf("err %v (%T); want a *TransportError that is not ambiguous", err, err)
	}
	if msg := err.Error(); !strings.Contains(msg, "connection refused (nothing listens at") || strings.Contains(msg, "credentials") {
		t.Errorf("message %q: want the connection refused named, not the credentials", msg)
	}
}
