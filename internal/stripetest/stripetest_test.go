package stripetest_test

import (
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v82"
	"github.com/stripe/stripe-go/v82/webhook"

	"masthead"
	"masthead/internal/stripetest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	stripetest.Stop()
	os.Exit(code)
}

func TestStart(t *testing.T) {
	srv := stripetest.Start(t)
	if again := stripetest.Start(t); again != srv {
		t.Errorf("second Start = %p, want the same server %p", again, srv)
	}
	tests := []struct {
		name       string
		body       string
		wantStatus int
	}{
		{"valid parameters", "customer=cus_1&return_url=https%3A%2F%2Fexample.com%2F", http.StatusOK},
		{"parameter unknown to the spec", "customer=cus_1&no_such_param=1", http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodPost, srv.URL+"/v1/billing_portal/sessions", strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer "+stripetest.SecretKey)
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.wantStatus {
				t.Errorf("status = %d, want %d: %s", resp.StatusCode, tt.wantStatus, body)
			}
		})
	}
}

func TestEventSign(t *testing.T) {
	types := []string{
		"checkout.session.completed",
		"customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted",
		"invoice.paid", "invoice.payment_failed", "customer.created",
	}
	for _, typ := range types {
		t.Run(typ, func(t *testing.T) {
			payload := stripetest.Event(masthead.StripeEvent{
				ID: "evt_1", Type: typ, Created: time.Now(), AccountID: 1, CustomerID: "cus_1",
				SubscriptionID: "sub_1", PriceID: "price_1", Status: "active", CurrentPeriodEnd: time.Now().AddDate(0, 1, 0),
			})
			// stripe-go's own strict check: signature, age and API version.
			e, err := webhook.ConstructEvent(payload, stripetest.Sign(payload, stripetest.WebhookSecret, time.Now()), stripetest.WebhookSecret)
			if err != nil {
				t.Fatalf("ConstructEvent: %v", err)
			}
			if e.ID != "evt_1" || string(e.Type) != typ || e.APIVersion != stripe.APIVersion {
				t.Errorf("event = %s %s %s, want evt_1 %s %s", e.ID, e.Type, e.APIVersion, typ, stripe.APIVersion)
			}
		})
	}
}
