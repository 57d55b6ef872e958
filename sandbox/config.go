package sandbox

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Config describes one sandbox: the tenant it answers for, the credentials it accepts, the data
// model with its seeded records, and the faults it injects. Start from DefaultConfig (LoadConfig
// does) and change what you need; New validates it. A Config is not modified by the Server.
type Config struct {
	// Tenant and Connection are the {client} and {connection} path segments of the API base
	// /api/tenants/{client}/{connection} (compared case-insensitively). Default "demo", "main".
	Tenant     string `yaml:"tenant"`
	Connection string `yaml:"connection"`
	// Tokens are the static bearer tokens accepted. Default ["sandbox-token"].
	Tokens []string `yaml:"tokens"`
	// OAuth2 configures the client-credentials token endpoint POST /oauth2/token.
	OAuth2 OAuth2 `yaml:"oauth2"`
	// MaxBodyBytes bounds a request body; a longer one is answered 413. Default 32 MiB.
	MaxBodyBytes int64 `yaml:"max_body_bytes"`
	// LogRequests is how many of the latest requests the request log keeps (Requests, GET
	// /_sandbox/requests), so that a long rehearsal does not grow without bound. Default 100,000.
	LogRequests int `yaml:"log_requests"`
	// Entities is the data model keyed by entity type name (e.g. "Site"). In YAML an entry
	// replaces the default entry of the same name as a whole; null removes it.
	Entities map[string]*EntityType `yaml:"entities"`
	// Faults are injected into On Key and Onix Work API calls (never into /_sandbox/ or the
	// token endpoints).
	Faults Faults `yaml:"faults"`
	// OnixWork configures the Onix Work OpenAPI surface under /v1/.
	OnixWork OnixWork `yaml:"onixwork"`
	// Answers chooses the shapes of the On Key answers the documents leave open. Default: the
	// sandbox's own (see Answers).
	Answers Answers `yaml:"answers"`
}

// OAuth2 configures the client-credentials grant.
type OAuth2 struct {
	// Clients maps client id to secret. Default {"sandbox-client": "sandbox-secret"}. An empty
	// secret disables the client.
	Clients map[string]string `yaml:"clients"`
	// TokenLifetime is how long an issued token is accepted (expires_in). Default 1h.
	TokenLifetime time.Duration `yaml:"token_lifetime"`
}

// EntityType is one entity type of the data model.
type EntityType struct {
	// Module and Resource name the batch endpoint /modules/{module}/{resource} of the type
	// (case-insensitive); both empty: the type has no batch endpoint (imports still work).
	Module   string `yaml:"module"`
	Resource string `yaml:"resource"`
	// Code names the property the Code reference lookup converter matches. Default "code" when
	// the type has a property of that name; empty otherwise (Code lookups then fail).
	Code string `yaml:"code"`
	// Properties maps property name (as sent in JSON, e.g. "permissionTreeId") to its definition.
	// "id" and "version" are reserved.
	Properties map[string]*Property `yaml:"properties"`
	// Records are seeded at start, with literal ids (references by literal id too).
	Records []SeedRecord `yaml:"records"`
}

// Property is one property of an entity type.
type Property struct {
	// Type is string (default), integer, number, boolean or date. A reference is an integer id.
	Type string `yaml:"type"`
	// Required: a record must have a non-null value (Core_NotNullValidator otherwise).
	Required bool `yaml:"required"`
	// Unique: no two records of the type share a non-null value (Core_UniqueValidator).
	Unique bool `yaml:"unique"`
	// Reference names the entity type whose record id the property holds. Converters
	// ({"code": ...}, Custom) are resolved to such ids.
	Reference string `yaml:"reference"`
}

// SeedRecord is a record present when the sandbox starts.
type SeedRecord struct {
	ID         int64          `yaml:"id"`
	Properties map[string]any `yaml:"properties"`
}

// Faults configures fault injection. Every rate is a probability in [0, 1]; the five outcome
// rates (500, 503, 429, reset, drop) are exclusive and must sum to at most 1. The n-th API call
// gets the same faults for the same Seed, whatever the timing.
type Faults struct {
	Seed uint64 `yaml:"seed"`
	// Latency is added to every API call, plus a uniform random part in [0, Jitter).
	Latency time.Duration `yaml:"latency"`
	Jitter  time.Duration `yaml:"jitter"`
	// HTTP500Rate and HTTP503Rate answer 500 / 503 without processing the call.
	HTTP500Rate float64 `yaml:"http500_rate"`
	HTTP503Rate float64 `yaml:"http503_rate"`
	// HTTP429Rate answers 429 with a Retry-After of RetryAfter (whole seconds, rounded up;
	// default 1s) without processing the call.
	HTTP429Rate float64       `yaml:"http429_rate"`
	RetryAfter  time.Duration `yaml:"retry_after"`
	// ResetRate resets the connection without processing the call (the client sees no answer).
	ResetRate float64 `yaml:"reset_rate"`
	// DropResponseAfterApplyRate processes the call (an import is applied) and then resets the
	// connection instead of answering.
	DropResponseAfterApplyRate float64 `yaml:"drop_response_after_apply_rate"`
	// MaxRPS limits API calls per second with a token bucket (golang.org/x/time/rate) of
	// RateBurst tokens, refilled at MaxRPS a second: a call that finds it empty is answered 429
	// at once, unprocessed and before any Latency, with a Retry-After of the time until the next
	// token, in whole seconds rounded up (so at least 1). A refused call takes no token. 0: no
	// limit.
	MaxRPS int `yaml:"max_rps"`
	// RateBurst is the bucket's size: the calls that may come at once after a quiet spell.
	// Default (0): MaxRPS, one second's worth.
	RateBurst int `yaml:"rate_burst"`
	// AsyncStepDelay is the time a background task spends on each step (one record), and
	// queued before it starts. 0: tasks run at once.
	AsyncStepDelay time.Duration `yaml:"async_step_delay"`
}

// Validate reports every problem of c, each naming its key path (entities.Site.properties...).
func (c *Config) Validate() error {
	errs := c.problems()
	if len(errs) == 0 {
		return nil
	}
	msgs := make([]error, len(errs))
	for i, e := range errs {
		msgs[i] = errors.New(e.String())
	}
	return errors.Join(msgs...)
}

// fieldError is one configuration problem at a key path.
type fieldError struct {
	path []string
	msg  string
}

func (e fieldError) String() string { return strings.Join(e.path, ".") + ": " + e.msg }

func (c *Config) problems() []fieldError {
	var errs []fieldError
	add := func(msg string, path ...string) { errs = append(errs, fieldError{path, msg}) }
	if c.Tenant == "" || strings.Contains(c.Tenant, "/") {
		add("must be a non-empty path segment", "tenant")
	}
	if c.Connection == "" || strings.Contains(c.Connection, "/") {
		add("must be a non-empty path segment", "connection")
	}
	for i, t := range c.Tokens {
		if strings.TrimSpace(t) == "" || strings.ContainsAny(t, " \t\r\n") {
			add("a token must be non-empty and without spaces", "tokens", strconv.Itoa(i))
		}
	}
	if c.OAuth2.TokenLifetime <= 0 {
		add("must be positive", "oauth2", "token_lifetime")
	}
	if c.MaxBodyBytes <= 0 {
		add("must be positive", "max_body_bytes")
	}
	if c.LogRequests <= 0 {
		add("must be positive", "log_requests")
	}
	errs = append(errs, c.Faults.problems()...)
	errs = append(errs, c.OnixWork.problems()...)
	errs = append(errs, c.Answers.problems()...)
	m, merrs := buildModel(c)
	errs = append(errs, merrs...)
	if len(merrs) == 0 {
		_, serrs := newStore(m, c)
		errs = append(errs, serrs...)
	}
	return errs
}

func (f *Faults) problems() []fieldError {
	var errs []fieldError
	sum := 0.0
	for _, r := range []struct {
		key string
		v   float64
	}{{"http500_rate", f.HTTP500Rate}, {"http503_rate", f.HTTP503Rate}, {"http429_rate", f.HTTP429Rate},
		{"reset_rate", f.ResetRate}, {"drop_response_after_apply_rate", f.DropResponseAfterApplyRate}} {
		if r.v < 0 || r.v > 1 || r.v != r.v {
			errs = append(errs, fieldError{[]string{"faults", r.key}, "must be between 0 and 1"})
		}
		sum += r.v
	}
	if sum > 1+1e-9 {
		errs = append(errs, fieldError{[]string{"faults"}, fmt.Sprintf("the outcome rates sum to %g, more than 1", sum)})
	}
	for _, d := range []struct {
		key string
		v   time.Duration
	}{{"latency", f.Latency}, {"jitter", f.Jitter}, {"retry_after", f.RetryAfter}, {"async_step_delay", f.AsyncStepDelay}} {
		if d.v < 0 {
			errs = append(errs, fieldError{[]string{"faults", d.key}, "must not be negative"})
		}
	}
	if f.MaxRPS < 0 {
		errs = append(errs, fieldError{[]string{"faults", "max_rps"}, "must not be negative"})
	}
	if f.RateBurst < 0 {
		errs = append(errs, fieldError{[]string{"faults", "rate_burst"}, "must not be negative"})
	}
	return errs
}

// LoadConfig reads a YAML config from path over DefaultConfig: keys given replace the defaults,
// keys absent keep them. Unknown keys, type errors and invalid values are errors naming
// path:line:column, all reported together.
func LoadConfig(path string) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the sandbox config: %w", err)
	}
	cfg := DefaultConfig()
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(cfg); err != nil && !errors.Is(err, io.EOF) {
		return nil, yamlError(path, err)
	}
	var root yaml.Node
	_ = yaml.Unmarshal(b, &root)
	probs := cfg.problems()
	if len(probs) == 0 {
		return cfg, nil
	}
	msgs := make([]error, len(probs))
	for i, p := range probs {
		if n := findNode(&root, p.path); n != nil {
			msgs[i] = fmt.Errorf("%s:%d:%d: %s", path, n.Line, n.Column, p)
		} else {
			msgs[i] = fmt.Errorf("%s: %s", path, p)
		}
	}
	return nil, errors.Join(msgs...)
}

var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): `)

// yamlError rewrites the decoder's "line N: ..." messages as "path:N: ...".
func yamlError(path string, err error) error {
	var te *yaml.TypeError
	lines := []string{err.Error()}
	if errors.As(err, &te) {
		lines = te.Errors
	}
	out := make([]error, len(lines))
	for i, l := range lines {
		if m := yamlLine.FindStringSubmatch(l); m != nil {
			out[i] = fmt.Errorf("%s:%s: %s", path, m[1], l[len(m[0]):])
		} else {
			out[i] = fmt.Errorf("%s: %s", path, strings.TrimPrefix(l, "yaml: "))
		}
	}
	return errors.Join(out...)
}

// findNode returns the node at the key path (mapping keys, sequence indexes), or the deepest
// node on the way when the path goes on past what the file says; nil when the file does not
// mention its first key.
func findNode(root *yaml.Node, path []string) *yaml.Node {
	n := root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	var found *yaml.Node
	for _, seg := range path {
		var next *yaml.Node
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == seg {
					found, next = n.Content[i], n.Content[i+1]
				}
			}
		case yaml.SequenceNode:
			if i, err := strconv.Atoi(seg); err == nil && i >= 0 && i < len(n.Content) {
				next = n.Content[i]
				found = next
			}
		}
		if next == nil {
			return found
		}
		n = next
	}
	return found
}
