package main

import (
	"math"
	"math/bits"
	"time"
)

// histogram is a fixed-size, log-linear latency histogram in the style of
// HDR histograms: every power of two of nanoseconds is split into subBuckets
// linear buckets, so any recorded value is known to within 1/subBuckets
// (about 1.6%). Recording never allocates; histograms merge by addition.
type histogram struct {
	counts [64 * subBuckets]uint64
	n      uint64
	sum    uint64 // nanoseconds
	min    uint64
	max    uint64
}

const (
	subBits    = 6
	subBuckets = 1 << subBits
)

func bucketOf(v uint64) int {
	if v < subBuckets {
		return int(v)
	}
	e := bits.Len64(v) - subBits - 1 // how far to shift to keep subBits+1 bits
	m := v >> uint(e) & (subBuckets - 1)
	return (e+1)*subBuckets + int(m)
}

// bucketBounds returns the smallest and largest value that map to bucket b.
func bucketBounds(b int) (lo, hi uint64) {
	if b < subBuckets {
		return uint64(b), uint64(b)
	}
	e := b/subBuckets - 1
	m := uint64(b % subBuckets)
	lo = (subBuckets + m) << uint(e)
	hi = lo + (1 << uint(e)) - 1
	return lo, hi
}

func (h *histogram) record(d time.Duration) {
	v := uint64(max(d, 0))
	h.counts[bucketOf(v)]++
	if h.n == 0 || v < h.min {
		h.min = v
	}
	if v > h.max {
		h.max = v
	}
	h.n++
	h.sum += v
}

func (h *histogram) merge(o *histogram) {
	if o.n == 0 {
		return
	}
	for i, c := range o.counts {
		h.counts[i] += c
	}
	if h.n == 0 || o.min < h.min {
		h.min = o.min
	}
	if o.max > h.max {
		h.max = o.max
	}
	h.n += o.n
	h.sum += o.sum
}

// quantile returns the latency below which a fraction q of the samples lie,
// as the midpoint of the bucket that holds it, clamped to the exact min and
// max.
func (h *histogram) quantile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(h.n)))
	rank = min(max(rank, 1), h.n)
	if rank == h.n {
		return time.Duration(h.max)
	}
	var seen uint64
	for b, c := range h.counts {
		seen += c
		if seen >= rank {
			lo, hi := bucketBounds(b)
			v := lo + (hi-lo)/2
			return time.Duration(min(max(v, h.min), h.max))
		}
	}
	return time.Duration(h.max)
}

func (h *histogram) mean() time.Duration {
	if h.n == 0 {
		return 0
	}
	return time.Duration(h.sum / h.n)
}
