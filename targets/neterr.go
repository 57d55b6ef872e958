package targets

import (
	"errors"
	"net"
	"net/url"
	"syscall"
)

// NetCause names, in a few words, why a request got no answer at all when it never reached a
// server: "connection refused (nothing listens at 127.0.0.1:1)", "the host name
// onkey.example.invalid does not resolve (DNS)", "timed out connecting to 10.0.0.5:443". It
// returns "" for any other error, the failures of a request that may have been sent included.
func NetCause(err error) string {
	var dns *net.DNSError
	if errors.As(err, &dns) {
		if dns.IsNotFound {
			return "the host name " + dns.Name + " does not resolve (DNS: no such host)"
		}
		if dns.IsTimeout {
			return "the DNS lookup of " + dns.Name + " timed out"
		}
		return "the DNS lookup of " + dns.Name + " failed (" + dns.Err + ")"
	}
	var op *net.OpError
	if !errors.As(err, &op) || op.Op != "dial" {
		return ""
	}
	addr := ""
	if op.Addr != nil {
		addr = op.Addr.String()
	}
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused (nothing listens at " + addr + ")"
	case op.Timeout():
		return "timed out connecting to " + addr
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return "no route to " + addr
	}
	return "cannot connect to " + addr
}

// unreachable reports whether err is a failure to reach the server at all (NetCause names it),
// or a timeout of a request that got no answer.
func unreachable(err error) bool {
	if NetCause(err) != "" {
		return true
	}
	var ue *url.Error
	return errors.As(err, &ue) && ue.Timeout()
}
