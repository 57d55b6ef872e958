package sandbox

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestDefaultConfigIsValid(t *testing.T) {
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatal(err)
	}
	s, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for et, want := range map[string]string{"PermissionTree": "A20", "CostCentre": "065", "SiteType": "FAC", "Site": "A10", "Currency": "USD"} {
		if recs := s.Records(et); len(recs) == 0 || recs[0].Properties["code"] != want {
			t.Errorf("%s: %+v, want %s first", et, recs, want)
		}
	}
}

func TestLoadConfig(t *testing.T) {
	tests := []struct {
		name  string
		yaml  string
		err   []string // substrings of the error, "" for none
		check func(t *testing.T, c *Config)
	}{
		{name: "overrides over the defaults", yaml: `
tenant: acme
connection: prod
tokens: [t1, t2]
oauth2:
  token_lifetime: 5m
faults:
  seed: 9
  http503_rate: 0.25
  latency: 10ms
  async_step_delay: 50ms
entities:
  Alarm: null
  Colour:
    module: Paint
    resource: Colours
    properties:
      code: {type: string, required: true, unique: true}
      rgb: {type: integer}
    records:
      - {id: 900, properties: {code: RED, rgb: 16711680}}
`, check: func(t *testing.T, c *Config) {
			if c.Tenant != "acme" || c.Connection != "prod" || len(c.Tokens) != 2 || c.OAuth2.TokenLifetime != 5*time.Minute ||
				c.OAuth2.Clients["sandbox-client"] != "sandbox-secret" {
				t.Errorf("top level %+v", c)
			}
			f := c.Faults
			if f.Seed != 9 || f.HTTP503Rate != 0.25 || f.Latency != 10*time.Millisecond || f.AsyncStepDelay != 50*time.Millisecond || f.RetryAfter != time.Second {
				t.Errorf("faults %+v", f)
			}
			if c.Entities["Alarm"] != nil || c.Entities["Site"] == nil || c.Entities["Colour"].Code != "" {
				t.Errorf("entities %v", c.Entities)
			}
			s, err := New(c)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if recs := s.Records("colour"); len(recs) != 1 || recs[0].Properties["rgb"] != int64(16711680) {
				t.Errorf("colours %+v", recs)
			}
		}},
		{name: "empty file: the defaults", yaml: "", check: func(t *testing.T, c *Config) {
			if c.Tenant != "demo" || len(c.Entities) != len(DefaultConfig().Entities) {
				t.Errorf("%+v", c)
			}
		}},
		{name: "unknown keys name their line", yaml: "tenant: x\nfaults:\n  http501_rate: 1\n",
			err: []string{"sandbox.yaml:3: field http501_rate not found"}},
		{name: "type errors name their line", yaml: "tenant: x\nmax_body_bytes: lots\n",
			err: []string{"sandbox.yaml:2: cannot unmarshal"}},
		{name: "invalid values name line and column, all of them", yaml: `
faults:
  http500_rate: 2
entities:
  Thing:
    properties:
      code: {type: text}
      parentId: {reference: Nothing}
    records:
      - {id: 0, properties: {}}
`, err: []string{
			"sandbox.yaml:3:3: faults.http500_rate: must be between 0 and 1",
			"sandbox.yaml:7:14: entities.Thing.properties.code.type: unknown type text",
			"sandbox.yaml:8:18: entities.Thing.properties.parentId.reference: references the unknown entity type Nothing",
		}},
		{name: "seeded records are checked", yaml: `
entities:
  Currency:
    properties:
      code: {required: true, unique: true}
    records:
      - {id: 1, properties: {code: USD}}
      - {id: 2, properties: {code: USD}}
      - {id: 3, properties: {}}
`, err: []string{
			"sandbox.yaml:8:30: entities.Currency.records.1.properties.code: code USD is also record 1's",
			"sandbox.yaml:9:17: entities.Currency.records.2.properties: the required property code is missing",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "sandbox.yaml")
			if err := os.WriteFile(path, []byte(tc.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			c, err := LoadConfig(path)
			if len(tc.err) > 0 {
				if err == nil {
					t.Fatal("no error")
				}
				msg := strings.ReplaceAll(err.Error(), path, "sandbox.yaml")
				for _, want := range tc.err {
					if !strings.Contains(msg, want) {
						t.Errorf("error\n%s\nlacks %q", msg, want)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, c)
		})
	}
}

func TestStartRefusesNonLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:0", "[::]:0", "example.com:0", "nonsense"} {
		if s, err := Start(nil, addr); err == nil {
			s.Close()
			t.Errorf("Start(%q) listened", addr)
		}
	}
	s, err := Start(nil, "localhost:0")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if !strings.HasPrefix(s.URL(), "http://127.0.0.1:") {
		t.Errorf("URL %q", s.URL())
	}
	if err := s.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
}
