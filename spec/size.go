package spec

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// sizeUnits are the units a size may carry, in bytes. KB, MB and GB are taken as their binary
// twins, as spreadsheets and file managers mostly mean them.
var sizeUnits = map[string]int64{
	"": 1, "b": 1,
	"k": 1 << 10, "kb": 1 << 10, "kib": 1 << 10,
	"m": 1 << 20, "mb": 1 << 20, "mib": 1 << 20,
	"g": 1 << 30, "gb": 1 << 30, "gib": 1 << 30,
	"t": 1 << 40, "tb": 1 << 40, "tib": 1 << 40,
}

// parseSize reads a size such as 1048576, "512KiB", "16 MiB" or "1.5GB" into bytes.
func parseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	i := strings.IndexFunc(t, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	if i < 0 {
		i = len(t)
	}
	num, unit := t[:i], strings.ToLower(strings.TrimSpace(t[i:]))
	mult, ok := sizeUnits[unit]
	f, err := strconv.ParseFloat(num, 64)
	if !ok || err != nil || f <= 0 || f*float64(mult) >= math.MaxInt64 {
		return 0, fmt.Errorf("must be a size such as 512KiB, 16MiB or 2GiB (or a number of bytes), got %q", s)
	}
	return int64(f * float64(mult)), nil
}

// sizeOf reads a size node: a positive integer of bytes, or a string parseSize reads.
func sizeOf(v *node) (int64, error) {
	switch x := v.scalar.(type) {
	case int64:
		if x > 0 {
			return x, nil
		}
	case string:
		return parseSize(x)
	}
	return 0, fmt.Errorf("must be a size such as 512KiB, 16MiB or 2GiB (or a number of bytes), got %s", v.describe())
}

// getSize sets *dst to the size at key, if it is one.
func getSize(n *node, key string, dst *int64) {
	if v := n.get(key); v != nil && v.kind == scalarNode {
		if b, err := sizeOf(v); err == nil {
			*dst = b
		}
	}
}
