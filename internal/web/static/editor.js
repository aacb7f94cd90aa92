// editor.js enhances the story editor's form (/admin/stories/...): the
// preview under the form follows the body as it is typed. The form works
// without it: its Preview button shows the same preview after a round
// trip, and nothing is saved until Save.
//
// It runs under the site's Content Security Policy: no inline handlers, no
// eval. The preview is the server's own rendering of the body (Markdown,
// sanitised), fetched from the same origin and parsed, never evaluated.
(() => {
  'use strict';

  if (!('fetch' in window) || !('DOMParser' in window) || !('AbortController' in window)) {
    return;
  }
  const region = document.getElementById('story-preview');
  const body = document.getElementById('story-body');
  if (!region || !body) {
    return;
  }
  const target = region.querySelector('.editor-preview-body');
  const url = region.dataset.previewUrl;
  if (!target || !url) {
    return;
  }

  // DELAY is how long typing must pause before the preview is fetched.
  const DELAY = 500;
  let timer = 0;
  let inflight = null;
  let last = null;

  async function refresh() {
    const text = body.value;
    if (text === last) {
      return;
    }
    if (inflight) {
      inflight.abort();
    }
    const ctl = new AbortController();
    inflight = ctl;
    try {
      const res = await fetch(url, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ body: text, body_format: region.dataset.bodyFormat || 'markdown' }).toString(),
        signal: ctl.signal,
      });
      if (!res.ok) {
        return;
      }
      const html = await res.text();
      const doc = new DOMParser().parseFromString(html, 'text/html');
      const nodes = Array.from(doc.body.childNodes, (n) => document.importNode(n, true));
      target.replaceChildren(...nodes);
      region.hidden = false;
      last = text;
    } catch (err) {
      // An aborted or failed request leaves the last preview in place.
    } finally {
      if (inflight === ctl) {
        inflight = null;
      }
    }
  }

  body.addEventListener('input', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, DELAY);
  });
})();
