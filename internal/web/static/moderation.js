// moderation.js enhances the moderation queues (#moderation); the page
// works without it, with a plain form per comment and a bulk form.
//
// With it: keyboard shortcuts — j and k move between comments, a approves
// and f features the comment in focus (through the JSON API), r goes to
// its reason field (type the reason, then Enter rejects it), x selects it
// for the bulk form, ? shows or hides the list of shortcuts — which never
// fire while typing in a field; and the queue counts in the tabs, asked
// for every few seconds and announced politely when they change.
// Everything it says comes from the page's data attributes, which the
// server fills from its message catalogue.
//
// It runs under the site's Content Security Policy: no inline handlers, no
// eval, no HTML strings.
(() => {
  'use strict';

  const root = document.getElementById('moderation');
  if (!root || !('fetch' in window)) {
    return;
  }
  const data = root.dataset;
  const announcer = document.getElementById('mod-announce');
  const help = document.getElementById('mod-shortcuts');
  const helpToggle = root.querySelector('.mod-help-toggle');

  let numbers;
  try {
    numbers = new Intl.NumberFormat(document.documentElement.lang || undefined);
  } catch (err) {
    numbers = { format: String };
  }
  const say = (template, values) =>
    String(template || '').replace(/\{(\w+)\}/g, (m, k) => (k in values ? String(values[k]) : m));

  function announce(text) {
    if (!announcer) {
      return;
    }
    // Cleared first, so that the same sentence twice is announced twice.
    announcer.textContent = '';
    setTimeout(() => {
      announcer.textContent = text;
    }, 50);
  }

  // ---- The comments and moving between them ----

  const items = () => Array.from(root.querySelectorAll('article.mod-item'));
  const current = () => {
    const el = document.activeElement;
    return el && el.closest ? el.closest('article.mod-item') : null;
  };

  function move(step) {
    const all = items();
    if (all.length === 0) {
      return;
    }
    const i = all.indexOf(current());
    let next = i < 0 ? (step > 0 ? 0 : all.length - 1) : i + step;
    next = Math.max(0, Math.min(all.length - 1, next));
    all[next].focus();
    all[next].scrollIntoView({ block: 'nearest' });
  }

  // ---- Acting through the API ----

  const labels = {
    approve: data.msgApproved,
    feature: data.msgFeatured,
  };

  async function act(item, action) {
    const id = Number(item.dataset.id);
    let message = '';
    try {
      const res = await fetch(data.actionUrl, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ ids: [id], action: action, reason: '' }),
      });
      const body = await res.json().catch(() => null);
      if (res.ok) {
        const done = say(labels[action], { id: id });
        const status = item.querySelector('.mod-status');
        if (status) {
          status.textContent = done;
        }
        item.classList.add('mod-item-done');
        announce(done);
        if (body && body.counts) {
          showCounts(body.counts);
        }
        if (action === 'approve') {
          move(1);
        }
        return;
      }
      message = body && body.error ? body.error.message : res.statusText;
    } catch (err) {
      message = err.message;
    }
    announce(say(data.msgFailed, { id: id, message: message }));
  }

  // ---- The list of shortcuts ----

  function toggleHelp(show) {
    if (!help) {
      return;
    }
    const open = show === undefined ? help.hidden : show;
    help.hidden = !open;
    if (helpToggle) {
      helpToggle.setAttribute('aria-expanded', String(open));
    }
    if (open) {
      const heading = help.querySelector('h2');
      if (heading) {
        heading.focus();
      }
    }
  }

  if (helpToggle && help) {
    helpToggle.hidden = false;
    helpToggle.addEventListener('click', () => toggleHelp());
  }

  // ---- The keys ----

  const typing = (el) =>
    el instanceof HTMLElement &&
    (el.isContentEditable ||
      el instanceof HTMLTextAreaElement ||
      el instanceof HTMLSelectElement ||
      (el instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(el.type)));

  document.addEventListener('keydown', (e) => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing || typing(e.target)) {
      return;
    }
    const item = current();
    switch (e.key) {
      case 'j':
        move(1);
        break;
      case 'k':
        move(-1);
        break;
      case '?':
        toggleHelp();
        break;
      case 'Escape':
        if (help && !help.hidden) {
          toggleHelp(false);
          break;
        }
        return;
      case 'a':
      case 'f':
        if (!item) {
          return;
        }
        act(item, e.key === 'a' ? 'approve' : 'feature');
        break;
      case 'r': {
        const reason = item && document.getElementById('mod-' + item.dataset.id + '-reason');
        if (!reason) {
          return;
        }
        reason.focus();
        break;
      }
      case 'x': {
        const box = item && document.getElementById('mod-' + item.dataset.id + '-select');
        if (!box) {
          return;
        }
        box.checked = !box.checked;
        item.classList.toggle('mod-selected', box.checked);
        break;
      }
      default:
        return;
    }
    e.preventDefault();
  });

  root.addEventListener('change', (e) => {
    const box = e.target;
    if (box instanceof HTMLInputElement && box.name === 'ids' && box.type === 'checkbox') {
      const item = box.closest('article.mod-item');
      if (item) {
        item.classList.toggle('mod-selected', box.checked);
      }
    }
  });

  // ---- The live counts ----

  function showCounts(counts) {
    for (const [queue, n] of Object.entries(counts)) {
      const el = root.querySelector('[data-count="' + queue + '"]');
      const text = numbers.format(n);
      if (el && el.textContent !== text) {
        el.textContent = text;
      }
    }
  }

  const every = Number(data.poll) || 0;
  let timer = 0;
  async function poll() {
    timer = 0;
    if (!document.hidden) {
      try {
        const res = await fetch(data.countsUrl, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
        if (res.status === 401 || res.status === 403) {
          return; // signed out, or no longer a moderator: stop asking
        }
        if (res.ok) {
          showCounts(await res.json());
        }
      } catch (err) {
        // A network hiccup: try again next time.
      }
    }
    timer = setTimeout(poll, every);
  }
  if (every > 0) {
    timer = setTimeout(poll, every);
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden && timer) {
        clearTimeout(timer);
        poll();
      }
    });
  }
})();
