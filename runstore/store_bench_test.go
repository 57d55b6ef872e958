package runstore

import (
	"fmt"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/bulkload/bulkload/record"
)

// peerRecords is n records of the peers' job (shared peers' job.yaml: one On Key OrderLine Merge
// per row of a 14-column order-lines file, keyed by order and line, no parent, not distinct),
// each valid, with the body a dry run stores for it.
func peerRecords(n int) []record.Entry {
	out := make([]record.Entry, n)
	for i := range out {
		order, line := fmt.Sprintf("SO-%06d", i/4+1), i%4+1
		uoid := fmt.Sprintf("%s/%d", order, line)
		body := fmt.Sprintf(`{"entityType":"OrderLine","action":"Merge","userObjectId":%q,"groupOrder":2,`+
			`"id":{"converter":"ReferenceLookup","type":"Code","code":%q},"properties":{"order_no":%q,`+
			`"customer_ext_id":"CUST-%05d","order_date":"2024-03-%02d","delivery_date":"2024-04-%02d",`+
			`"project":"PRJ-%03d","line_no":%d,"product_no":"P-%06d","product_name":"Widget %d",`+
			`"quantity":%d,"unit_price":%d.25,"serial_number":"SN%010d","batch_no":"B%04d",`+
			`"warehouse":"WH-%d","notes":"deliver to gate %d"}}`,
			uoid, uoid, order, i%9973, i%28+1, i%28+1, i%500, line, i%100000, i%1000, i%50+1, i%900,
			i, i%10000, i%7, i%12)
		out[i] = record.Entry{UserObjectID: uoid, Entity: "line", Kind: "onkey", EntityType: "OrderLine",
			Action: "Merge", GroupOrder: 2, Status: record.Valid, Body: []byte(body), Source: "lines",
			Origin: fmt.Sprintf("lines.csv:%d", i+2), OriginLine: i + 2}
	}
	return out
}

// benchRecords is the size of a benchmark run: the peers' comparison file's.
const benchRecords = 200_000

// BenchmarkInsert stores 200,000 records of the peers' shape in a new store with Insert, in
// slices of 1,000 as a stream hands them over, and reports ns/record.
func BenchmarkInsert(b *testing.B) {
	entries := peerRecords(benchRecords)
	cpu := cpuTime()
	b.ResetTimer()
	for range b.N {
		s, err := Open(b.Context(), filepath.Join(b.TempDir(), FileName))
		if err != nil {
			b.Fatal(err)
		}
		for rest := entries; len(rest) > 0; {
			n := min(len(rest), 1000)
			if err := s.Insert(b.Context(), rest[:n]); err != nil {
				b.Fatal(err)
			}
			rest = rest[n:]
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
	}
	reportPerRecord(b, cpu)
}

// reportPerRecord reports the wall time and the process's CPU time (since cpu0, all threads)
// per record: on a shared machine the CPU time is the steadier figure.
func reportPerRecord(b *testing.B, cpu0 time.Duration) {
	n := float64(b.N * benchRecords)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/n, "ns/record")
	b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/n, "cpu-ns/record")
}

// cpuTime is the user and system CPU time the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
