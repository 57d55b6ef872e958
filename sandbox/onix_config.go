package sandbox

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Link types of company links and contact links.
const (
	LinkCustomer = "customer"
	LinkSupplier = "supplier"
)

// OnixWork configures the Onix Work OpenAPI surface (paths under /v1/). In YAML it is the
// section `onixwork:`; maps given there are added to the defaults, lists replace them.
type OnixWork struct {
	// Users maps user name to password for POST /v1/Account/token. Default
	// {"sandbox": "sandbox-password"}. An empty password disables a user.
	Users map[string]string `yaml:"users"`
	// Keys are the long-lived tokens accepted with the Key scheme (or no scheme). Default
	// ["sandbox-key"].
	Keys []string `yaml:"keys"`
	// TokenLifetime is how long a short-lived (Bearer) token is accepted. Default 60m.
	TokenLifetime time.Duration `yaml:"token_lifetime"`
	// CompanyLinks maps a customer or supplier company's external id to its link type
	// (LinkCustomer or LinkSupplier).
	CompanyLinks map[string]string `yaml:"company_links"`
	// ContactLinks maps a contact's external id to its link type.
	ContactLinks map[string]string `yaml:"contact_links"`
	// OrderStatuses and OrderLineStatuses are the company's workflows, in order; the first
	// status is the default of a new order or line. Each needs at least one status.
	OrderStatuses     []OnixStatus `yaml:"order_statuses"`
	OrderLineStatuses []OnixStatus `yaml:"order_line_statuses"`
	// Languages maps a language code to its name. Default Norwegian 0, English 1, Swedish 3,
	// Danish 4, Spanish 7; it must hold English (1), the default.
	Languages map[int]string `yaml:"languages"`
	// LineProperties and LineFormProperties name the properties and form properties every
	// order line has (all empty when the line is created); updates of other names are ignored.
	LineProperties     []string `yaml:"line_properties"`
	LineFormProperties []string `yaml:"line_form_properties"`
}

// OnixStatus is one workflow status. Closed statuses refuse property updates.
type OnixStatus struct {
	ID     int64  `yaml:"id" json:"id"`
	Name   string `yaml:"name" json:"name"`
	Closed bool   `yaml:"closed" json:"closed,omitempty"`
}

// onixLanguageEnglish is the default language code (seed 000).
const onixLanguageEnglish = 1

// defaultOnixWork is the Onix Work part of DefaultConfig: every body of samples/orders-csv
// succeeds against it (customers K-1001 and K-1002 are linked).
func defaultOnixWork() OnixWork {
	return OnixWork{
		Users:         map[string]string{"sandbox": "sandbox-password"},
		Keys:          []string{"sandbox-key"},
		TokenLifetime: 60 * time.Minute,
		CompanyLinks: map[string]string{
			"K-1001": LinkCustomer, "K-1002": LinkCustomer, "K-1003": LinkCustomer,
			"L-2001": LinkSupplier,
		},
		ContactLinks: map[string]string{"KP-1001": LinkCustomer, "LP-2001": LinkSupplier},
		OrderStatuses: []OnixStatus{
			{ID: 1, Name: "New"}, {ID: 2, Name: "In progress"}, {ID: 3, Name: "Delivered"},
			{ID: 9, Name: "Closed", Closed: true},
		},
		OrderLineStatuses: []OnixStatus{
			{ID: 11, Name: "New"}, {ID: 12, Name: "Ordered"}, {ID: 13, Name: "Received"},
			{ID: 19, Name: "Closed", Closed: true},
		},
		Languages:          map[int]string{0: "Norwegian", 1: "English", 3: "Swedish", 4: "Danish", 7: "Spanish"},
		LineProperties:     []string{"Colour", "Weight", "Note"},
		LineFormProperties: []string{"Inspected", "InspectionDate"},
	}
}

// clone copies o deeply enough that the Server owns every map and slice it uses.
func (o OnixWork) clone() OnixWork {
	o.Users = maps.Clone(o.Users)
	o.Keys = slices.Clone(o.Keys)
	o.CompanyLinks = maps.Clone(o.CompanyLinks)
	o.ContactLinks = maps.Clone(o.ContactLinks)
	o.OrderStatuses = slices.Clone(o.OrderStatuses)
	o.OrderLineStatuses = slices.Clone(o.OrderLineStatuses)
	o.Languages = maps.Clone(o.Languages)
	o.LineProperties = slices.Clone(o.LineProperties)
	o.LineFormProperties = slices.Clone(o.LineFormProperties)
	return o
}

// problems reports every invalid value, each at its key path under onixwork.
func (o *OnixWork) problems() []fieldError {
	var errs []fieldError
	add := func(msg string, path ...string) {
		errs = append(errs, fieldError{append([]string{"onixwork"}, path...), msg})
	}
	for u := range o.Users {
		if strings.TrimSpace(u) == "" {
			add("a user name must not be empty", "users")
		}
	}
	for i, k := range o.Keys {
		if strings.TrimSpace(k) == "" || strings.ContainsAny(k, " \t\r\n") {
			add("a key must be non-empty and without spaces", "keys", strconv.Itoa(i))
		}
	}
	if o.TokenLifetime <= 0 {
		add("must be positive", "token_lifetime")
	}
	for key, links := range map[string]map[string]string{"company_links": o.CompanyLinks, "contact_links": o.ContactLinks} {
		for id, typ := range links {
			if id == "" {
				add("an external id must not be empty", key)
			}
			if typ != LinkCustomer && typ != LinkSupplier {
				add(fmt.Sprintf("link type %q: must be %s or %s", typ, LinkCustomer, LinkSupplier), key, id)
			}
		}
	}
	for key, sts := range map[string][]OnixStatus{"order_statuses": o.OrderStatuses, "order_line_statuses": o.OrderLineStatuses} {
		if len(sts) == 0 {
			add("needs at least one status", key)
		}
		seen := map[int64]bool{}
		for i, st := range sts {
			if seen[st.ID] {
				add(fmt.Sprintf("id %d is used twice", st.ID), key, strconv.Itoa(i), "id")
			}
			seen[st.ID] = true
			if strings.TrimSpace(st.Name) == "" {
				add("must not be empty", key, strconv.Itoa(i), "name")
			}
		}
	}
	if _, ok := o.Languages[onixLanguageEnglish]; !ok {
		add("must hold English (1), the default language", "languages")
	}
	for key, names := range map[string][]string{"line_properties": o.LineProperties, "line_form_properties": o.LineFormProperties} {
		seen := map[string]bool{}
		for i, n := range names {
			if strings.TrimSpace(n) == "" || seen[strings.ToLower(n)] {
				add("names must be non-empty and distinct (case-insensitively)", key, strconv.Itoa(i))
			}
			seen[strings.ToLower(n)] = true
		}
	}
	slices.SortFunc(errs, func(a, b fieldError) int { return strings.Compare(a.String(), b.String()) })
	return errs
}

// status finds id among sts.
func status(sts []OnixStatus, id int64) (OnixStatus, bool) {
	for _, st := range sts {
		if st.ID == id {
			return st, true
		}
	}
	return OnixStatus{}, false
}
