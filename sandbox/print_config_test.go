package sandbox

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// printed writes cfg with WriteYAML and returns the text.
func printed(t *testing.T, cfg *Config) string {
	t.Helper()
	var b bytes.Buffer
	if err := cfg.WriteYAML(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// loadText loads text as a config file.
func loadText(t *testing.T, text string) *Config {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sandbox.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(path)
	if err != nil {
		t.Fatalf("LoadConfig of the printed config: %v\n%s", err, text)
	}
	return cfg
}

// comparable makes configs that behave alike DeepEqual: seeded numbers are float64 whatever the
// YAML decoder made of them (the store converts them by the property's type), an entity type
// without records has a nil list, and a removed entity type (a nil entry) has no key.
func comparable(cfg *Config) *Config {
	for name, et := range cfg.Entities {
		if et == nil {
			delete(cfg.Entities, name)
			continue
		}
		if len(et.Records) == 0 {
			et.Records = nil
		}
		for _, r := range et.Records {
			for k, v := range r.Properties {
				switch n := v.(type) {
				case int:
					r.Properties[k] = float64(n)
				case int64:
					r.Properties[k] = float64(n)
				}
			}
		}
	}
	return cfg
}

// What WriteYAML prints, LoadConfig reads back as the same config: the defaults, and a config
// that changes something in every section (a removed default type, a new type with seeds,
// faults, Onix Work users and links) as a user's file would.
func TestWriteYAMLRoundTrips(t *testing.T) {
	edited := `tenant: acme
connection: prod
tokens: [tok-1, tok-2]
oauth2: {clients: {ci: ci-secret}, token_lifetime: 10m}
log_requests: 500
entities:
  Alarm: null
  Colour:
    module: Paint
    resource: Colours
    properties:
      code: {type: string, required: true, unique: true}
      rgb: {type: integer}
      ratio: {type: number}
      permissionTreeId: {reference: PermissionTree, required: true}
    records:
      - {id: 900, properties: {code: RED, rgb: 16711680, ratio: 0.5, permissionTreeId: 5000000}}
faults: {seed: 42, latency: 20ms, jitter: 10ms, http500_rate: 0.1, http429_rate: 0.2, retry_after: 2s, max_rps: 50, async_step_delay: 250ms}
onixwork:
  users: {planner: secret}
  company_links: {K-9: supplier}
  order_statuses: [{id: 5, name: Open}, {id: 6, name: Done, closed: true}]
`
	tests := []struct {
		name string
		cfg  func(t *testing.T) *Config
	}{
		{"defaults", func(*testing.T) *Config { return DefaultConfig() }},
		{"edited", func(t *testing.T) *Config { return loadText(t, edited) }},
		{"a default type deleted in Go", func(*testing.T) *Config {
			cfg := DefaultConfig()
			delete(cfg.Entities, "Warehouse")
			return cfg
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := printed(t, tt.cfg(t))
			back := loadText(t, text)
			if again := printed(t, back); again != text {
				t.Errorf("printing the loaded config differs from the first print:\n--- first\n%s\n--- again\n%s", text, again)
			}
			if want := comparable(tt.cfg(t)); !reflect.DeepEqual(comparable(back), want) {
				t.Errorf("the printed config does not load as the config printed:\n%s", text)
			}
		})
	}
}

// The printed defaults name what a user otherwise learns by failing: every entity type with
// its required and unique properties and references, the seeded records, users and links.
func TestWriteYAMLShowsTheModel(t *testing.T) {
	text := printed(t, DefaultConfig())
	for _, want := range []string{
		"\n  Site:\n    module: Core\n    resource: Sites\n    code: code\n",
		"      currencyId: {required: true, reference: Currency}\n",
		"      code: {type: string, required: true, unique: true}\n",
		"      - {id: 14, properties: {code: ZAR, description: South African Rand}}\n",
		"  users: {sandbox: sandbox-password}\n",
		"  company_links: {K-1001: customer, K-1002: customer, K-1003: customer, L-2001: supplier}\n",
		"tokens: [sandbox-token]\n",
		"  retry_after: 1s\n",
		"# It is read over the defaults: a key left out keeps its default.",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the printed config lacks %q", want)
		}
	}
}

// A user's edit of the printed file changes what the sandbox does: with currencyId no longer
// required, a Site without one is stored; with the defaults it is refused.
func TestWriteYAMLEditIsObeyed(t *testing.T) {
	text := printed(t, DefaultConfig())
	const line = "currencyId: {required: true, reference: Currency}"
	if !strings.Contains(text, line) {
		t.Fatalf("the printed config has no %q", line)
	}
	edited := loadText(t, strings.Replace(text, line, "currencyId: {reference: Currency}", 1))
	site := `[{"entityType":"Site","action":"Create","userObjectId":"S1","properties":{"code":"S1","description":"Depot","permissionTreeId":{"code":"A20"},"siteTypeId":{"code":"FAC"}}}]`
	for _, tt := range []struct {
		name   string
		cfg    *Config
		status string
	}{
		{"defaults", DefaultConfig(), "Failed"},
		{"edited", edited, "Succeeded"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Start(tt.cfg, "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			a := call(t, s, "POST", "/modules/system/imports?mode=PerRecord", "application/vnd.onkey.entityimportcollection+json", site)
			rs := results(t, a.body)
			if len(rs) != 1 || rs[0].Status != tt.status {
				t.Errorf("answer %d %s, want one record %s", a.status, a.body, tt.status)
			}
		})
	}
}
