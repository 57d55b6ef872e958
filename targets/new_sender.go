package targets

import (
	"crypto/tls"
	"fmt"
	"net/http"
	"time"

	"golang.org/x/time/rate"

	"github.com/bulkload/bulkload/spec"
)

// DefaultTimeout bounds each attempt when the job's submit.timeout is empty.
const DefaultTimeout = 60 * time.Second

// SenderOptions are what NewSender needs besides the job's target and submit sections. The zero
// value is usable.
type SenderOptions struct {
	// HTTP is the client for the target; nil: a client of its own, with an idle connection kept
	// for each request in flight (submit.concurrency, 2 at least).
	HTTP *http.Client
	// Getenv reads the secrets the spec names (nil: none is set).
	Getenv func(string) string
	// Insecure turns off the verification of the target's TLS certificate (and of its token
	// endpoint's) in the client NewSender makes (ignored when HTTP is set), and allows http://
	// URLs to hosts that are not loopback, which NewSender otherwise refuses.
	Insecure bool
	// TokenURL, if not nil, gives the token endpoint of password auth from the target's URL
	// when target.auth.token_url is empty (onixwork.TokenURL).
	TokenURL func(baseURL string) string
}

// NewSender builds the Sender of target t with the retries, timeout and rate of s, and the
// Authorizer of t.Auth. Before any secret is read it refuses (an error naming the setting) a
// plain http:// target or token URL to a host that is not this machine, unless o.Insecure, and
// a submit.timeout that is not a duration. A missing secret is an error naming the variable.
func NewSender(t spec.Target, s spec.Submit, o SenderOptions) (*Sender, error) {
	a := t.Auth
	if a.Kind == "password" && a.TokenURL == "" && o.TokenURL != nil {
		a.TokenURL = o.TokenURL(t.URL)
	}
	if !o.Insecure {
		if err := CheckPlainHTTP("target.url", t.URL); err != nil {
			return nil, err
		}
		if a.TokenURL != "" {
			if err := CheckPlainHTTP("target.auth.token_url", a.TokenURL); err != nil {
				return nil, err
			}
		}
	}
	timeout := DefaultTimeout
	if s.Timeout != "" {
		var err error
		if timeout, err = time.ParseDuration(s.Timeout); err != nil {
			return nil, fmt.Errorf("submit.timeout %q: %w", s.Timeout, err)
		}
	}
	client := o.HTTP
	if client == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.MaxIdleConnsPerHost = max(s.Concurrency, 2)
		if o.Insecure {
			tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // asked for with --insecure
		}
		client = &http.Client{Transport: tr}
	}
	getenv := o.Getenv
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	auth, err := NewAuthorizer(a, getenv, &http.Client{Transport: client.Transport, Timeout: TokenTimeout,
		CheckRedirect: RefuseRedirect})
	if err != nil {
		return nil, fmt.Errorf("target auth: %w", err)
	}
	sender := &Sender{HTTP: client, Auth: auth, Retries: s.Retries, Timeout: timeout}
	if s.Rate > 0 {
		sender.Limiter = rate.NewLimiter(rate.Limit(s.Rate), 1)
	}
	return sender, nil
}
