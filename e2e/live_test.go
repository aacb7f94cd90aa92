package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"masthead/internal/pgtest"
)

// sseEvent is one Server-Sent Event as a client reads it.
type sseEvent struct {
	ID, Event, Data string
	At              time.Time
}

// readSSE reads events from an open stream into the channel until the
// stream ends.
func readSSE(body *bufio.Reader, out chan<- sseEvent) {
	defer close(out)
	var ev sseEvent
	for {
		line, err := body.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		switch {
		case line == "":
			if ev.Event != "" || ev.Data != "" {
				ev.At = time.Now()
				out <- ev
			}
			ev = sseEvent{}
		case strings.HasPrefix(line, "id:"):
			ev.ID = strings.TrimSpace(line[3:])
		case strings.HasPrefix(line, "event:"):
			ev.Event = strings.TrimSpace(line[6:])
		case strings.HasPrefix(line, "data:"):
			ev.Data += strings.TrimSpace(line[5:])
		}
	}
}

// TestLiveCommentsAcrossInstances: two instances share one PostgreSQL
// database; a comment posted through one reaches an SSE client of the
// other within one second.
func TestLiveCommentsAcrossInstances(t *testing.T) {
	t.Parallel()
	dbURL := pgtest.URL(t)
	a := launchMasthead(t, "masthead-a", "--demo", "--database", dbURL)
	a.waitReady(t)
	b := startMasthead(t, "--database", dbURL)

	story := ""
	for _, s := range listStories(t, a, 100) {
		if s.Access == "free" && s.Comments == "open" {
			story = s.Slug
			break
		}
	}
	if story == "" {
		t.Fatal("the demo has no free story with comments open")
	}

	// An SSE client of instance B.
	resp, err := http.Get(b.URL + "/stories/" + story + "/comments/live")
	if err != nil {
		t.Fatalf("open the live stream on B: %v", err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("live stream on B: status %d, type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	events := make(chan sseEvent, 16)
	go readSSE(bufio.NewReader(resp.Body), events)

	// The Premium subscriber posts through instance A.
	premium := newClient(t, a)
	premium.signIn("premium@example.com")
	body, _ := json.Marshal(map[string]any{"body": "Posted through instance A, read live on instance B."})
	req, _ := http.NewRequest(http.MethodPost, a.URL+"/api/v1/stories/"+story+"/comments", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	time.Sleep(200 * time.Millisecond) // let B's stream subscribe before the post
	posted := time.Now()
	res, err := premium.http.Do(req)
	if err != nil {
		t.Fatalf("post through A: %v", err)
	}
	var c struct {
		ID int64 `json:"id"`
	}
	err = json.NewDecoder(res.Body).Decode(&c)
	res.Body.Close()
	if res.StatusCode != http.StatusCreated || err != nil || c.ID == 0 {
		t.Fatalf("post through A: status %d, %v", res.StatusCode, err)
	}

	deadline := time.After(5 * time.Second)
	for {
		select {
		case ev, ok := <-events:
			if !ok {
				t.Fatal("B's live stream ended before the comment arrived")
			}
			if ev.Event != "posted" {
				continue
			}
			var got struct {
				CommentID int64 `json:"comment_id"`
			}
			if json.Unmarshal([]byte(ev.Data), &got) != nil || got.CommentID != c.ID {
				continue
			}
			latency := ev.At.Sub(posted)
			t.Logf("the comment reached B's SSE client %v after A was asked to post it", latency)
			if latency > time.Second {
				t.Errorf("the comment took %v to reach the other instance, want under one second", latency)
			}
			return
		case <-deadline:
			t.Fatal("the comment posted through A never reached B's SSE client")
		}
	}
}
