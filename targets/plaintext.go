package targets

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// CheckPlainHTTP refuses a URL that would carry credentials or records across a network in clear
// text: http:// to a host that is not this machine. https:// URLs and http:// to a loopback host
// (localhost, 127.0.0.0/8, ::1) pass. what names the URL in the error ("target.url").
func CheckPlainHTTP(what, rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return fmt.Errorf("%s %q: %w", what, rawURL, err)
	}
	if !strings.EqualFold(u.Scheme, "http") || IsLoopback(u.Hostname()) {
		return nil
	}
	return fmt.Errorf("%s %s: plain http:// to %s, which is not this machine, would send the credentials and the records across the network unencrypted: use https://, or pass --insecure if that is really meant",
		what, redact(u), u.Hostname())
}

// IsLoopback reports whether host (a name or an address, without port) is this machine:
// "localhost" (or a name under .localhost) or a loopback address.
func IsLoopback(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(h, "[]"))
	return ip != nil && ip.IsLoopback()
}

// redact is u without its user information, for messages.
func redact(u *url.URL) string {
	c := *u
	c.User = nil
	return c.String()
}
