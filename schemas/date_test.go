package schemas

import (
	"fmt"
	"testing"
	"time"
)

// TestIsISODate compares the fast reading of dddd-dd-dd dates with time.Parse, which it stands
// for, over every month and day number around the valid ones in years with and without 29
// February.
func TestIsISODate(t *testing.T) {
	for _, year := range []int{0, 1, 4, 100, 400, 1900, 2000, 2023, 2024, 2100, 9999} {
		for month := 0; month <= 13; month++ {
			for day := 0; day <= 32; day++ {
				s := fmt.Sprintf("%04d-%02d-%02d", year, month, day)
				_, err := time.Parse("2006-01-02", s)
				if got := IsISODate(s); got != (err == nil) {
					t.Errorf("IsISODate(%q) = %v, time.Parse error %v", s, got, err)
				}
			}
		}
	}
	for _, s := range []string{"", "2024-1-02", "2024-01-2 ", "+024-01-02", "2024/01/02", "２０２４-01-02", "20240102", "2024-01-02T00:00:00Z"} {
		if IsISODate(s) {
			t.Errorf("IsISODate(%q) = true", s)
		}
	}
}
