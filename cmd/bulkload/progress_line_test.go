package main

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// The bar line fits any width: at 120 columns everything shows; narrower, the rate and
// percentage give way first, then the description is shortened and the bar dropped; the count
// stays longest, the failed count, ETA and concurrency next.
func TestBarLineFits(t *testing.T) {
	sending := progressSnap{state: state{phase: phaseSending, desc: "sending group 2 to https://onkey.example.com/api/tenants/demo",
		unit: "records", count: 12000, total: 50000, failed: 17, sending: true, concurrency: 8},
		elapsed: 10 * time.Second, rate: 1200, estTotal: 50000, eta: 32 * time.Second, etaKnown: true}
	reading := progressSnap{state: state{phase: "reading", desc: "validating orders", unit: "rows", count: 84000,
		bytes: 42 << 20, bytesTotal: 100 << 20}, elapsed: 6 * time.Second, rate: 14000, estTotal: 200000, estimate: true,
		eta: 8 * time.Second, etaKnown: true}
	checking := progressSnap{state: state{phase: "checking keys and parents across rows", desc: "checking keys and parents across rows",
		unit: "rows"}, elapsed: 3 * time.Second}
	for _, tc := range []struct {
		name  string
		s     progressSnap
		width int
		want  string
	}{
		{"sending 120", sending, 119, "sending group 2 to https://onkey… [=>        ]  24%  12,000/50,000 records  1,200 records/s  17 failed  conc 8  ETA 32s"},
		{"sending 80", sending, 79, "sending group 2… [=>        ] 12,000/50,000 records  17 failed  conc 8  ETA 32s"},
		{"sending 40", sending, 39, "sending group 2 … 12,000/50,000 records"},
		{"reading 80", reading, 79, "validating orders [=========>              ]  42%  84,000/~200,000 rows  ETA 8s"},
		{"reading 40", reading, 39, "validating orders 84,000/~200,000 rows"},
		{"checking 80", checking, 79, "checking keys and parents across rows 3s"},
		{"checking 20", checking, 19, "checking keys a… 3s"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := barLine(tc.s, tc.width)
			if n := utf8.RuneCountInString(got); n > tc.width {
				t.Errorf("%d columns, more than %d: %q", n, tc.width, got)
			}
			if got != tc.want {
				t.Errorf("\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

// The summary wraps at word boundaries, continuation lines indented four more than their line,
// the spaces that align its columns kept; lines that fit, and a word too long for any line, are
// left whole.
func TestWrapText(t *testing.T) {
	for _, tc := range []struct {
		in    string
		width int
		want  string
	}{
		{"short\n", 20, "short\n"},
		{"  records: 20000 (20000 succeeded, 0 failed, 0 invalid)\n", 30,
			"  records: 20000 (20000\n      succeeded, 0 failed, 0\n      invalid)\n"},
		{"run directory: /a/very/long/path/that/does/not/fit\n", 20, "run directory:\n    /a/very/long/path/that/does/not/fit\n"},
		{"a b c d e f", 5, "a b c\n    d\n    e\n    f"},
		{"    34  Antall (type)          e.g. a long example\n", 40, "    34  Antall (type)          e.g. a\n        long example\n"},
	} {
		got := wrapText(tc.in, tc.width)
		if got != tc.want {
			t.Errorf("wrapText(%q, %d)\n got %q\nwant %q", tc.in, tc.width, got, tc.want)
		}
		for _, l := range strings.Split(got, "\n") {
			if n := utf8.RuneCountInString(l); n > tc.width && !strings.Contains(l, "/a/very") {
				t.Errorf("line of %d columns at width %d: %q", n, tc.width, l)
			}
		}
	}
}

func TestThousandsAndClock(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -1500: "-1,500"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
	for d, want := range map[time.Duration]string{0: "0s", 59 * time.Second: "59s", 187 * time.Second: "3m07s", 3720 * time.Second: "1h02m"} {
		if got := clock(d); got != want {
			t.Errorf("clock(%v) = %q, want %q", d, got, want)
		}
	}
}
