package web

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics holds the HTTP metrics and the handler that serves the registry.
type metrics struct {
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	handler  http.Handler
}

// newMetrics registers the HTTP metrics on reg. If reg already has them (a
// second Server on one registry) the existing collectors are shared.
func newMetrics(reg *prometheus.Registry) (*metrics, error) {
	requests := prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: "masthead",
		Subsystem: "http",
		Name:      "requests_total",
		Help:      "HTTP requests by route pattern and status code.",
	}, []string{"route", "code"})
	latency := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: "masthead",
		Subsystem: "http",
		Name:      "request_duration_seconds",
		Help:      "HTTP request latency by route pattern.",
		Buckets:   []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
	}, []string{"route"})
	if err := register(reg, &requests); err != nil {
		return nil, err
	}
	if err := register(reg, &latency); err != nil {
		return nil, err
	}
	return &metrics{
		requests: requests,
		latency:  latency,
		handler:  promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}),
	}, nil
}

// register registers *c on reg, replacing *c with the collector already
// registered under the same description if there is one.
func register[C prometheus.Collector](reg *prometheus.Registry, c *C) error {
	err := reg.Register(*c)
	var are prometheus.AlreadyRegisteredError
	if errors.As(err, &are) {
		if existing, ok := are.ExistingCollector.(C); ok {
			*c = existing
			return nil
		}
	}
	return err
}

// observe counts one request.
func (m *metrics) observe(route string, status int, elapsed time.Duration) {
	m.requests.WithLabelValues(route, statusText(status)).Inc()
	m.latency.WithLabelValues(route).Observe(elapsed.Seconds())
}

// statusText returns status as a decimal string without allocating for the
// common codes.
func statusText(status int) string {
	switch status {
	case 200:
		return "200"
	case 304:
		return "304"
	case 400:
		return "400"
	case 403:
		return "403"
	case 404:
		return "404"
	case 500:
		return "500"
	}
	return strconv.Itoa(status)
}
