// comments.js enhances the comment section under a story (#comments); the
// section works without it, with plain forms and redirects.
//
// With it: a character counter under each comment box; posting, replying
// and editing without leaving the page (through the JSON API, after which
// the section is fetched again, so that its markup stays the server's);
// "show N more replies" in place (the server's page of those replies,
// fetched); and live updates over Server-Sent Events — new comments wait behind an
// "N new comments" button, edits and removals of comments on the page
// apply in place. Everything it says comes from the section's data
// attributes, which the server fills from its message catalogue.
//
// It runs under the site's Content Security Policy: no inline handlers, no
// eval, no HTML strings; the only markup inserted is the server's own.
(() => {
  'use strict';

  if (!('fetch' in window) || !('EventSource' in window) || !('DOMParser' in window)) {
    return;
  }
  if (!document.getElementById('comments')) {
    return;
  }

  const BOX = 'form.comment-form textarea[name="body"]';
  const section = () => document.getElementById('comments');
  const data = () => (section() || document.body).dataset;

  let numbers;
  try {
    numbers = new Intl.NumberFormat(document.documentElement.lang || undefined);
  } catch (err) {
    numbers = { format: String };
  }
  const withNumber = (text, n) => String(text || '').replace('{n}', numbers.format(n));
  // A comment's length as the server counts it: characters (code points)
  // of the NFC form.
  const lengthOf = (text) => Array.from(text.normalize ? text.normalize('NFC') : text).length;

  // The story page itself: after a refused post without JavaScript the
  // address is the form's, /stories/{slug}/comments.
  const pageURL = () => {
    const path = location.pathname;
    return path.endsWith('/comments') ? path.slice(0, -'/comments'.length) : path + location.search;
  };

  // ---- Character counters ----

  function updateCounter(box) {
    const max = Number(data().maxLength) || 0;
    const text = data().counter;
    if (!max || !text || !box.id) {
      return;
    }
    let out = document.getElementById(box.id + '-count');
    if (!out) {
      out = document.createElement('p');
      out.className = 'comment-counter';
      out.id = box.id + '-count';
      box.insertAdjacentElement('afterend', out);
    }
    const n = lengthOf(box.value);
    out.textContent = withNumber(text, n);
    out.classList.toggle('comment-counter-over', n > max);
  }

  function initCounters() {
    const sec = section();
    if (sec) {
      sec.querySelectorAll(BOX).forEach(updateCounter);
    }
  }

  document.addEventListener('input', (e) => {
    const t = e.target;
    if (t instanceof HTMLTextAreaElement && t.matches('#comments ' + BOX)) {
      updateCounter(t);
    }
  });

  // ---- Refreshing the section ----

  // Comments this page posted: their "posted" events are not news.
  const own = new Set();
  // New comments announced by the live stream and not yet on the page.
  const pending = new Set();

  // A disclosure's place in the section, to open it again after a refresh.
  const detailsKey = (d) => {
    const owner = d.closest('[id]');
    return (owner ? owner.id : '') + '/' + d.className;
  };

  // refresh fetches the story page again and puts its comment section in
  // place of this one, keeping what the reader is typing in other boxes,
  // the disclosures they opened and their focus. skip is the box just
  // sent, which starts afresh; focusID a comment to bring into view.
  async function refresh({ skip = null, focusID = 0 } = {}) {
    const res = await fetch(pageURL(), {
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { Accept: 'text/html' },
    });
    if (!res.ok) {
      throw new Error('comments: refresh: ' + res.status);
    }
    const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
    const fresh = doc.getElementById('comments');
    const old = section();
    if (!fresh || !old) {
      return;
    }
    const skipDetails = skip ? skip.closest('details') : null;
    const typed = new Map();
    old.querySelectorAll('textarea').forEach((t) => {
      if (t !== skip && t.id && !t.readOnly && t.value !== t.defaultValue) {
        typed.set(t.id, t.value);
      }
    });
    const opened = new Set();
    old.querySelectorAll('details[open]').forEach((d) => {
      if (d !== skipDetails) {
        opened.add(detailsKey(d));
      }
    });
    const active = document.activeElement;
    const focusedID = active && active !== skip && old.contains(active) ? active.id : '';

    const next = document.adoptNode(fresh);
    old.replaceWith(next);

    typed.forEach((value, id) => {
      const t = document.getElementById(id);
      if (t instanceof HTMLTextAreaElement && next.contains(t)) {
        t.value = value;
      }
    });
    next.querySelectorAll('details').forEach((d) => {
      if (opened.has(detailsKey(d))) {
        d.open = true;
      }
    });
    initCounters();
    pending.forEach((id) => {
      if (document.getElementById('comment-' + id)) {
        pending.delete(id);
      }
    });
    renderPending();

    const target = focusID ? document.getElementById('comment-' + focusID) : null;
    if (target) {
      target.tabIndex = -1;
      target.scrollIntoView({ block: 'center' });
      target.focus({ preventScroll: true });
    } else if (focusedID) {
      const f = document.getElementById(focusedID);
      if (f) {
        f.focus({ preventScroll: true });
      }
    }
  }

  // Refreshes run one after another.
  let queue = Promise.resolve();
  const enqueueRefresh = (opts) => {
    const run = queue.then(() => refresh(opts));
    queue = run.catch(() => {});
    return run;
  };
  let refreshTimer = 0;
  const refreshSoon = () => {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => enqueueRefresh().catch(() => {}), 300);
  };

  // ---- Posting, replying and editing through the API ----

  // apiRequest returns the API call for a comment form, or null for a
  // form it does not know (which then submits the ordinary way).
  function apiRequest(form, box) {
    const action = new URL(form.action, location.href).pathname;
    let m = action.match(/^\/stories\/([^/]+)\/comments$/);
    if (m) {
      const parent = form.querySelector('input[name="parent_id"]');
      return {
        method: 'POST',
        url: '/api/v1/stories/' + m[1] + '/comments',
        body: { body: box.value, parent_id: parent ? Number(parent.value) || 0 : 0 },
      };
    }
    m = action.match(/^\/comments\/(\d+)\/edit$/);
    if (m) {
      return { method: 'PATCH', url: '/api/v1/comments/' + m[1], body: { body: box.value } };
    }
    return null;
  }

  // showError puts message next to the box, as the server does, keeping
  // what was typed.
  function showError(box, message) {
    const base = box.id.replace(/-body$/, '');
    const id = base + '-error';
    let p = document.getElementById(id);
    if (!p) {
      p = document.createElement('p');
      p.className = 'field-error';
      p.id = id;
      p.setAttribute('role', 'alert');
      box.insertAdjacentElement('beforebegin', p);
    }
    p.textContent = message;
    const field = box.closest('.field');
    if (field) {
      field.classList.add('field-invalid');
    }
    box.setAttribute('aria-invalid', 'true');
    const described = (box.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
    if (!described.includes(id)) {
      described.push(id);
      box.setAttribute('aria-describedby', described.join(' '));
    }
    box.focus();
  }

  async function errorMessage(res) {
    try {
      const body = await res.json();
      if (body && body.error && body.error.message) {
        return body.error.message;
      }
    } catch (err) {
      // Not the API's JSON (a proxy's page, say): the general message.
    }
    return data().sendError;
  }

  document.addEventListener('submit', async (e) => {
    const form = e.target;
    if (!(form instanceof HTMLFormElement) || !form.matches('#comments form.comment-form')) {
      return;
    }
    const box = form.querySelector('textarea[name="body"]');
    const req = box ? apiRequest(form, box) : null;
    if (!req) {
      return;
    }
    e.preventDefault();
    if (form.dataset.sending) {
      return;
    }
    form.dataset.sending = '1';
    const button = form.querySelector('button[type="submit"], button:not([type])');
    if (button) {
      button.disabled = true;
    }
    try {
      const res = await fetch(req.url, {
        method: req.method,
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(req.body),
      });
      if (!res.ok) {
        showError(box, await errorMessage(res));
        return;
      }
      const comment = await res.json();
      if (comment && comment.id) {
        own.add(comment.id);
      }
      try {
        await enqueueRefresh({ skip: box, focusID: comment && comment.id });
      } catch (err) {
        // Saved, but the section could not be fetched: load the page.
        location.assign(pageURL() + (comment && comment.id ? '#comment-' + comment.id : ''));
      }
    } catch (err) {
      showError(box, data().sendError);
    } finally {
      delete form.dataset.sending;
      if (button) {
        button.disabled = false;
      }
    }
  });

  initCounters();

  // ---- More replies ----

  // "Show N more replies" links to the page of those replies, which
  // readers without JavaScript follow. Here it fetches that page and puts
  // its replies in place under the thread, with its own link to the
  // replies after them (or none), so the count of what remains updates.
  async function showMoreReplies(link) {
    const more = link.closest('.more-replies');
    const thread = link.closest('.comment-thread');
    if (!more || !thread || link.dataset.loading) {
      return;
    }
    link.dataset.loading = '1';
    link.setAttribute('aria-busy', 'true');
    try {
      const res = await fetch(link.href, {
        credentials: 'same-origin',
        cache: 'no-store',
        headers: { Accept: 'text/html' },
      });
      if (!res.ok) {
        throw new Error('comments: replies: ' + res.status);
      }
      const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
      const fresh = doc.querySelector('#comments .comment-thread');
      if (!fresh) {
        throw new Error('comments: replies: no thread');
      }
      let list = thread.querySelector(':scope > .comment-replies');
      if (!list) {
        list = document.createElement('ol');
        list.className = 'comment-replies';
        more.before(list);
      }
      let first = null;
      fresh.querySelectorAll(':scope > .comment-replies > li').forEach((li) => {
        const comment = li.querySelector('article[id]');
        if (comment && document.getElementById(comment.id)) {
          return; // already on the page
        }
        const node = document.adoptNode(li);
        list.append(node);
        first = first || comment;
      });
      const next = fresh.querySelector(':scope > .more-replies');
      if (next) {
        more.replaceWith(document.adoptNode(next));
      } else {
        more.remove();
      }
      initCounters();
      if (first) {
        first.tabIndex = -1;
        first.focus();
      }
    } catch (err) {
      // Not in place: go to the page of those replies instead.
      location.assign(link.href);
    } finally {
      delete link.dataset.loading;
      link.removeAttribute('aria-busy');
    }
  }

  document.addEventListener('click', (e) => {
    const link = e.target instanceof Element ? e.target.closest('#comments .more-replies a[href]') : null;
    if (!link || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) {
      return;
    }
    e.preventDefault();
    showMoreReplies(link);
  });

  // ---- Live updates ----

  const liveURL = data().liveUrl;
  if (!liveURL) {
    return;
  }

  function renderPending() {
    const sec = section();
    const region = sec && sec.querySelector('.comments-live');
    if (!region) {
      return;
    }
    if (pending.size === 0) {
      region.textContent = '';
      return;
    }
    let button = region.querySelector('button');
    if (!button) {
      button = document.createElement('button');
      button.type = 'button';
      button.className = 'comments-new';
      region.append(button);
    }
    button.textContent = pending.size === 1 ? sec.dataset.newOne : withNumber(sec.dataset.newMany, pending.size);
  }

  document.addEventListener('click', (e) => {
    const button = e.target instanceof Element ? e.target.closest('#comments .comments-live button') : null;
    if (!button) {
      return;
    }
    const first = pending.values().next().value;
    pending.clear();
    enqueueRefresh({ focusID: first }).catch(() => location.assign(pageURL() + '#comments'));
  });

  const parse = (text) => {
    try {
      return JSON.parse(text);
    } catch (err) {
      return null;
    }
  };
  const onPage = (id) => Boolean(document.getElementById('comment-' + id));

  let lastID = data().lastEventId || '';
  let source = null;
  let retryTimer = 0;
  let backoff = 0;

  function connect() {
    clearTimeout(retryTimer);
    const url = lastID
      ? liveURL + (liveURL.includes('?') ? '&' : '?') + 'last_event_id=' + encodeURIComponent(lastID)
      : liveURL;
    const es = new EventSource(url);
    source = es;
    const seen = (e) => {
      if (e.lastEventId) {
        lastID = e.lastEventId;
      }
      return parse(e.data);
    };
    es.addEventListener('open', () => {
      backoff = 0;
    });
    es.addEventListener('posted', (e) => {
      const ev = seen(e);
      if (ev && !own.has(ev.comment_id) && !onPage(ev.comment_id)) {
        pending.add(ev.comment_id);
        renderPending();
      }
    });
    const changed = (e) => {
      const ev = seen(e);
      if (!ev) {
        return;
      }
      if (pending.delete(ev.comment_id)) {
        renderPending();
      }
      if (onPage(ev.comment_id)) {
        refreshSoon();
      }
    };
    es.addEventListener('edited', changed);
    es.addEventListener('removed', changed);
    // The stream fell behind: start again after the last event seen,
    // spread out so that many readers do not all come back at once.
    es.addEventListener('resync', () => reconnect(Math.random() * 1000));
    es.addEventListener('error', () => {
      // EventSource reconnects by itself (with Last-Event-ID) after a
      // dropped connection; it gives up on an error status (429, 503).
      if (es.readyState === EventSource.CLOSED) {
        backoff = Math.min(backoff ? backoff * 2 : 2000, 60000);
        reconnect(backoff / 2 + Math.random() * backoff / 2);
      }
    });
  }

  function reconnect(delay) {
    if (source) {
      source.close();
      source = null;
    }
    clearTimeout(retryTimer);
    retryTimer = setTimeout(connect, delay);
  }

  window.addEventListener('pagehide', () => {
    if (source) {
      source.close();
      source = null;
    }
  });
  window.addEventListener('pageshow', (e) => {
    if (e.persisted && !source) {
      connect();
    }
  });

  connect();
})();
