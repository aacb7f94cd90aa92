package main

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func TestBucketRoundTrip(t *testing.T) {
	for _, v := range []uint64{0, 1, 63, 64, 65, 127, 128, 1000, 123456, 1 << 40, 1<<63 - 1} {
		b := bucketOf(v)
		lo, hi := bucketBounds(b)
		if v < lo || v > hi {
			t.Errorf("value %d: bucket %d holds [%d, %d]", v, b, lo, hi)
		}
		if hi-lo > v/subBuckets+1 {
			t.Errorf("value %d: bucket [%d, %d] is wider than %d%%", v, lo, hi, 100/subBuckets)
		}
	}
}

func TestQuantileMatchesSortedSamples(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var h histogram
	samples := make([]time.Duration, 100000)
	for i := range samples {
		// Log-normal-ish latencies between ~50µs and ~50ms.
		samples[i] = time.Duration(50_000 * (1 + r.ExpFloat64()*r.ExpFloat64()*20))
		h.record(samples[i])
	}
	slices.Sort(samples)
	for _, q := range []float64{0.5, 0.9, 0.99, 0.999} {
		want := samples[int(q*float64(len(samples)))-1]
		got := h.quantile(q)
		if diff := float64(got-want) / float64(want); diff > 0.02 || diff < -0.02 {
			t.Errorf("q%.3f: got %v, want %v within 2%%", q, got, want)
		}
	}
	if got, want := h.quantile(1), samples[len(samples)-1]; got != want {
		t.Errorf("max: got %v, want %v", got, want)
	}
}

func TestMerge(t *testing.T) {
	var a, b, all histogram
	for i := 1; i <= 1000; i++ {
		d := time.Duration(i) * time.Microsecond
		all.record(d)
		if i%2 == 0 {
			a.record(d)
		} else {
			b.record(d)
		}
	}
	a.merge(&b)
	if a != all {
		t.Errorf("merged histogram differs: n=%d/%d min=%d/%d max=%d/%d", a.n, all.n, a.min, all.min, a.max, all.max)
	}
}
