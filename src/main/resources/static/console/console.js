/*
 * OrderHub operator console. Plain ES2020, no dependencies.
 * Shared by login.html and index.html (page detected by element ids).
 *
 * SECURITY: every piece of server data is rendered with textContent / text nodes
 * (see el()). Never use innerHTML with data: payloads are hostile vendor input.
 */
(() => {
  'use strict';

  const API = '/api/v1/admin';
  const LOGIN_EXPIRED = '/console/login.html?expired';
  const PAGE_SIZE = 50;
  const JOB_POLL_MS = 500;
  const HEALTH_REFRESH_MS = 5000;

  // ------------------------------------------------------------------ helpers

  /** el('div', {class: 'x', dataset: {id: 1}, onclick: fn}, 'text', childNode, [more]) */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === undefined || v === null || v === false) continue;
        if (k === 'class') node.className = v;
        else if (k === 'dataset') Object.entries(v).forEach(([dk, dv]) => { node.dataset[dk] = String(dv); });
        else if (k === 'text') node.textContent = String(v);
        else if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
        else if (k in node && typeof v !== 'string' && k !== 'list') node[k] = v;
        else node.setAttribute(k, v === true ? '' : String(v));
      }
    }
    appendAll(node, children);
    return node;
  }

  function appendAll(node, children) {
    for (const c of children) {
      if (c === undefined || c === null || c === false) continue;
      if (Array.isArray(c)) appendAll(node, c);
      else if (c instanceof Node) node.appendChild(c);
      else node.appendChild(document.createTextNode(String(c)));
    }
  }

  const $ = (id) => document.getElementById(id);

  function readCookie(name) {
    const prefix = name + '=';
    for (const part of document.cookie.split(';')) {
      const p = part.trim();
      if (p.startsWith(prefix)) {
        try { return decodeURIComponent(p.slice(prefix.length)); } catch { return p.slice(prefix.length); }
      }
    }
    return null;
  }

  /** Returns the CSRF token, asking the server to set the cookie first if needed. */
  async function csrfToken() {
    let token = readCookie('XSRF-TOKEN');
    if (token) return token;
    try {
      await fetch(API + '/csrf', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    } catch { /* network error: fall through, server will reject */ }
    token = readCookie('XSRF-TOKEN');
    return token || '';
  }

  /** Fill a form's hidden _csrf input and submit it for real (server redirects). */
  function wireCsrfForm(form) {
    const hidden = form.querySelector('input[name="_csrf"]');
    const fill = () => { const t = readCookie('XSRF-TOKEN'); if (t) hidden.value = t; return !!t; };
    fill();
    let submitting = false;
    form.addEventListener('submit', (ev) => {
      if (fill()) return; // token present: native submit proceeds
      ev.preventDefault();
      if (submitting) return;
      submitting = true;
      csrfToken().then((t) => {
        hidden.value = t;
        HTMLFormElement.prototype.submit.call(form);
      });
    });
    return fill;
  }

  class ApiError extends Error {
    constructor(status, problem) {
      super((problem && (problem.detail || problem.title)) || ('HTTP ' + status));
      this.status = status;
      this.problem = problem || {};
    }
    get errors() { return Array.isArray(this.problem.errors) ? this.problem.errors : []; }
  }

  /** fetch wrapper: JSON in/out, CSRF header on non-GET, problem+json errors, 401 -> login. */
  async function api(method, path, body) {
    const headers = { Accept: 'application/json, application/problem+json' };
    const init = { method, credentials: 'same-origin', headers, cache: 'no-store' };
    if (method !== 'GET' && method !== 'HEAD') {
      headers['X-XSRF-TOKEN'] = await csrfToken();
      if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
        init.body = JSON.stringify(body);
      }
    }
    let res;
    try {
      res = await fetch(path, init);
    } catch (e) {
      throw new ApiError(0, { title: 'Network error', detail: 'Cannot reach the OrderHub server (' + e.message + ')' });
    }
    if (res.status === 401) {
      window.location.assign(LOGIN_EXPIRED);
      throw new ApiError(401, { title: 'Unauthorized', detail: 'Session expired' });
    }
    const text = await res.text();
    let data = null;
    if (text) {
      try { data = JSON.parse(text); } catch { data = null; }
    }
    if (!res.ok) {
      const problem = (data && typeof data === 'object') ? data
        : { title: res.statusText || 'Error', status: res.status, detail: 'HTTP ' + res.status + ' ' + (res.statusText || '') };
      if (!problem.detail && !problem.title) problem.detail = 'HTTP ' + res.status;
      throw new ApiError(res.status, problem);
    }
    return data;
  }

  function qs(params) {
    const u = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) u.append(k, v === undefined || v === null ? '' : String(v));
    return u.toString();
  }

  // ------------------------------------------------------------------ formatting

  const COUNT_FMT = new Intl.NumberFormat('en-US');
  const fmtCount = (n) => (typeof n === 'number' && isFinite(n)) ? COUNT_FMT.format(n) : '–';

  function parseTime(iso) {
    if (!iso) return null;
    const d = new Date(iso);
    return isNaN(d.getTime()) ? null : d;
  }

  function relative(d, now = Date.now()) {
    const s = Math.round((now - d.getTime()) / 1000);
    const a = Math.abs(s);
    let txt;
    if (a < 10) return 'just now';
    if (a < 60) txt = a + ' s';
    else if (a < 3600) txt = Math.floor(a / 60) + ' min';
    else if (a < 86400) txt = Math.floor(a / 3600) + ' h' + (Math.floor(a / 60) % 60 ? ' ' + (Math.floor(a / 60) % 60) + ' min' : '');
    else if (a < 86400 * 60) txt = Math.floor(a / 86400) + ' d';
    else return d.toLocaleDateString();
    return s >= 0 ? txt + ' ago' : 'in ' + txt;
  }

  function absolute(d) {
    return d.toLocaleString(undefined, {
      year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit'
    }) + ' (' + d.toISOString() + ')';
  }

  /** <time> element with relative text and absolute title; refreshed periodically. */
  function timeEl(iso, fallback = '–') {
    const d = parseTime(iso);
    if (!d) return el('span', { class: 'muted' }, iso ? String(iso) : fallback);
    return el('time', { class: 'rel', datetime: d.toISOString(), title: absolute(d) }, relative(d));
  }

  function refreshRelativeTimes() {
    const now = Date.now();
    document.querySelectorAll('time.rel').forEach((t) => {
      const d = parseTime(t.getAttribute('datetime'));
      if (d) t.textContent = relative(d, now);
    });
  }

  function shortClass(fqcn) {
    if (!fqcn) return '';
    const s = String(fqcn);
    const i = s.lastIndexOf('.');
    return i >= 0 ? s.slice(i + 1) : s;
  }

  function truncate(s, n) {
    s = s == null ? '' : String(s);
    return s.length > n ? s.slice(0, n - 1) + '…' : s;
  }

  function formatMoney(total) {
    if (!total || typeof total.amountMinor !== 'number') return '–';
    const cur = total.currency || 'USD';
    try {
      const nf = new Intl.NumberFormat(undefined, { style: 'currency', currency: cur });
      const digits = nf.resolvedOptions().maximumFractionDigits;
      return nf.format(total.amountMinor / Math.pow(10, digits));
    } catch {
      return (total.amountMinor / 100).toFixed(2) + ' ' + cur;
    }
  }

  function fmtNum(n, digits = 1) {
    return (typeof n === 'number' && isFinite(n)) ? n.toFixed(digits).replace(/\.0+$/, '') : '–';
  }

  /** Pretty print if the payload is JSON, else return as is. */
  function prettyPayload(payload, contentType) {
    if (payload == null) return '';
    const s = String(payload);
    const looksJson = /json/i.test(contentType || '') || /^\s*[[{]/.test(s);
    if (!looksJson) return s;
    try { return JSON.stringify(JSON.parse(s), null, 2); } catch { return s; }
  }

  /**
   * Locate the first JSON syntax error (browsers' JSON.parse messages differ and newer
   * V8 versions omit the position). Returns {pos, msg} or null when the text is valid.
   */
  function locateJsonError(text) {
    let i = 0;
    const n = text.length;
    const fail = (msg, at = i) => { throw { pos: at, msg }; };
    const ws = () => { while (i < n && ' \t\n\r'.includes(text[i])) i++; };
    const describe = () => (i >= n ? 'unexpected end of input' : 'unexpected ' + JSON.stringify(text[i]));
    const lit = (word) => { if (text.startsWith(word, i)) i += word.length; else fail('invalid literal (expected ' + word + ')'); };
    function str() {
      i++; // opening quote
      while (i < n) {
        const c = text[i];
        if (c === '"') { i++; return; }
        if (c === '\\') {
          const e = text[i + 1];
          if (e === 'u') {
            if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('bad \\u escape in string');
            i += 6;
          } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
          else fail('bad escape in string');
        } else if (c < ' ') fail(c === '\n' ? 'line break inside string (missing closing quote?)' : 'control character in string');
        else i++;
      }
      fail('unterminated string');
    }
    function num() {
      const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
      if (!m || !m[0] || m[0] === '-') fail('invalid number');
      i += m[0].length;
    }
    function value(depth) {
      if (depth > 500) fail('nesting too deep');
      ws();
      const c = text[i];
      if (c === '{') {
        i++; ws();
        if (text[i] === '}') { i++; return; }
        for (;;) {
          ws();
          if (text[i] !== '"') fail(text[i] === '}' ? 'trailing comma before }' : 'expected property name in double quotes, ' + describe());
          str(); ws();
          if (text[i] !== ':') fail("expected ':' after property name, " + describe());
          i++;
          value(depth + 1); ws();
          if (text[i] === ',') { i++; continue; }
          if (text[i] === '}') { i++; return; }
          fail("expected ',' or '}', " + describe());
        }
      } else if (c === '[') {
        i++; ws();
        if (text[i] === ']') { i++; return; }
        for (;;) {
          ws();
          if (text[i] === ']') fail('trailing comma before ]');
          value(depth + 1); ws();
          if (text[i] === ',') { i++; continue; }
          if (text[i] === ']') { i++; return; }
          fail("expected ',' or ']', " + describe());
        }
      } else if (c === '"') str();
      else if (c === '-' || (c >= '0' && c <= '9')) num();
      else if (c === 't') lit('true');
      else if (c === 'f') lit('false');
      else if (c === 'n') lit('null');
      else fail(i >= n ? 'unexpected end of input' : 'expected a value, ' + describe());
    }
    try {
      value(0); ws();
      if (i < n) fail('unexpected text after the JSON value');
      return null;
    } catch (e) {
      if (e && typeof e.pos === 'number') return e;
      return { pos: 0, msg: String(e && e.message ? e.message : e) };
    }
  }

  /** JSON syntax check with line/column. Returns null if valid, else a message. */
  function jsonError(text) {
    let nativeMsg;
    try { JSON.parse(text); return null; } catch (e) { nativeMsg = String(e.message || e); }
    const loc = locateJsonError(text);
    if (!loc) return nativeMsg; // should not happen: fall back to the browser's message
    const before = text.slice(0, loc.pos);
    const line = before.split('\n').length;
    const col = loc.pos - before.lastIndexOf('\n');
    return 'line ' + line + ', column ' + col + ': ' + loc.msg;
  }

  // ------------------------------------------------------------------ messages

  let messageTimer = null;

  /** Show a message in #message. kind: 'ok' | 'error' | 'info'. errors: optional list. */
  function showMessage(text, kind = 'info', errors = []) {
    const bar = $('message-bar');
    const box = $('message');
    if (!bar || !box) return;
    clearTimeout(messageTimer);
    const children = [el('span', { class: 'message-text' }, (kind === 'error' ? 'Error: ' : '') + text)];
    if (errors && errors.length) {
      children.push(el('ul', { class: 'message-errors' }, errors.map((e) => el('li', null, typeof e === 'string' ? e : JSON.stringify(e)))));
    }
    box.replaceChildren(...children);
    bar.className = 'message-bar message-' + kind;
    bar.hidden = false;
    if (kind === 'ok') messageTimer = setTimeout(clearMessage, 20000);
  }

  function clearMessage() {
    clearTimeout(messageTimer);
    const bar = $('message-bar');
    if (bar) bar.hidden = true;
    const box = $('message');
    if (box) box.replaceChildren();
  }

  function showError(e, context) {
    if (e instanceof ApiError) {
      if (e.status === 401) return;
      let text = e.problem.detail || e.problem.title || e.message;
      if (e.status === 403 && !e.problem.detail) text = 'You are not allowed to do this';
      showMessage((context ? context + ': ' : '') + text, 'error', e.errors);
    } else {
      showMessage((context ? context + ': ' : '') + (e && e.message ? e.message : String(e)), 'error');
      console.error(e);
    }
  }

  // ------------------------------------------------------------------ login page

  function initLogin() {
    const form = $('login-form');
    wireCsrfForm(form);
    // Make sure the cookie exists before the user submits.
    if (!readCookie('XSRF-TOKEN')) {
      csrfToken().then((t) => { form.querySelector('input[name="_csrf"]').value = t; });
    }
    const params = new URLSearchParams(window.location.search);
    const box = $('login-error');
    const msgs = [
      ['error', 'Sign-in failed: check user, password and code', 'error'],
      ['locked', 'Too many attempts, try again later', 'error'],
      ['expired', 'Session expired', 'info'],
      ['logout', 'Signed out', 'info']
    ];
    for (const [key, text, kind] of msgs) {
      if (params.has(key)) {
        box.textContent = text;
        box.className = 'login-msg login-msg-' + kind;
        box.hidden = false;
        break;
      }
    }
  }

  // ------------------------------------------------------------------ console page

  const state = {
    me: null,
    isOperator: false,
    isAdmin: false,
    activeTab: 'dead-letters',
    dl: {
      filter: null, page: 0, total: 0, items: [], seq: 0, selectedId: null, detail: null, detailSeq: 0,
      bulkJob: null, bulkTimer: null
    },
    audit: { page: 0, total: 0, filter: { actor: '', action: '' }, seq: 0 },
    orders: { seq: 0, tlSeq: 0, selectedId: null },
    health: { timer: null, seq: 0, loaded: false }
  };

  const TABS = ['dead-letters', 'orders', 'health', 'audit'];

  async function initConsole() {
    wireCsrfForm($('logout-form'));
    $('message-close').addEventListener('click', clearMessage);

    let me;
    try {
      me = await api('GET', API + '/me');
    } catch (e) {
      showError(e, 'Cannot load your account');
      return;
    }
    state.me = me || {};
    const roles = Array.isArray(state.me.roles) ? state.me.roles : [];
    state.isOperator = roles.includes('OPERATOR');
    state.isAdmin = roles.includes('ADMIN');
    $('whoami').textContent = state.me.username || '?';
    $('roles').textContent = roles.length ? '(' + roles.join(', ').toLowerCase() + ')' : '';
    document.body.classList.toggle('is-operator', state.isOperator);
    if (state.isAdmin) {
      $('admin-links').appendChild(el('a', { id: 'hawtio-link', href: '/actuator/hawtio/', class: 'btn btn-ghost', target: '_blank', rel: 'noopener' }, 'Hawtio'));
    }

    initTabs();
    initDeadLetters();
    initOrders();
    initHealth();
    initAudit();

    setInterval(refreshRelativeTimes, 15000);
    document.addEventListener('visibilitychange', () => {
      if (state.activeTab === 'health') {
        if (document.hidden) stopHealthRefresh(); else startHealthRefresh();
      }
    });

    const fromHash = window.location.hash.replace(/^#/, '');
    showTab(TABS.includes(fromHash) ? fromHash : 'dead-letters', false);
    if (state.activeTab !== 'dead-letters') loadDeadLetters(); // so bulk count etc. are ready
  }

  // ---------------------------------------------------------------- tabs

  function initTabs() {
    for (const name of TABS) {
      const btn = $('tab-' + name);
      btn.addEventListener('click', () => showTab(name, true));
      btn.addEventListener('keydown', (ev) => {
        const i = TABS.indexOf(name);
        let next = null;
        if (ev.key === 'ArrowRight') next = TABS[(i + 1) % TABS.length];
        else if (ev.key === 'ArrowLeft') next = TABS[(i - 1 + TABS.length) % TABS.length];
        else if (ev.key === 'Home') next = TABS[0];
        else if (ev.key === 'End') next = TABS[TABS.length - 1];
        if (next) { ev.preventDefault(); showTab(next, true); $('tab-' + next).focus(); }
      });
    }
  }

  function showTab(name, userAction) {
    const prev = state.activeTab;
    state.activeTab = name;
    for (const t of TABS) {
      const on = t === name;
      const btn = $('tab-' + t);
      btn.setAttribute('aria-selected', on ? 'true' : 'false');
      btn.tabIndex = on ? 0 : -1;
      btn.classList.toggle('active', on);
      $('view-' + t).hidden = !on;
    }
    if (userAction) {
      try { history.replaceState(null, '', '#' + name); } catch { /* ignore */ }
    }
    if (name === 'health') startHealthRefresh(); else stopHealthRefresh();
    if (name === 'dead-letters' && (userAction || prev !== name || !state.dl.filter)) loadDeadLetters();
    if (name === 'audit') loadAudit();
    if (name === 'orders' && userAction) $('order-q').focus();
  }

  // ---------------------------------------------------------------- dead letters

  function localToIso(v) {
    if (!v) return '';
    const d = new Date(v); // datetime-local value is interpreted as local time
    return isNaN(d.getTime()) ? '' : d.toISOString();
  }

  function readDlFilter() {
    return {
      state: $('f-state').value,
      source: $('f-source').value.trim(),
      location: $('f-location').value.trim(),
      stage: $('f-stage').value,
      errorClass: $('f-error').value.trim(),
      from: localToIso($('f-from').value),
      to: localToIso($('f-to').value)
    };
  }

  function initDeadLetters() {
    $('dl-filters').addEventListener('submit', (ev) => {
      ev.preventDefault();
      state.dl.filter = readDlFilter();
      state.dl.page = 0;
      loadDeadLetters();
    });
    $('f-reset').addEventListener('click', () => {
      $('f-state').value = 'OPEN';
      for (const id of ['f-source', 'f-location', 'f-error', 'f-from', 'f-to']) $(id).value = '';
      $('f-stage').value = '';
      state.dl.filter = readDlFilter();
      state.dl.page = 0;
      loadDeadLetters();
    });
    $('page-prev').addEventListener('click', () => {
      if (state.dl.page > 0) { state.dl.page--; loadDeadLetters(); }
    });
    $('page-next').addEventListener('click', () => {
      if ((state.dl.page + 1) * PAGE_SIZE < state.dl.total) { state.dl.page++; loadDeadLetters(); }
    });
    const tbody = $('dl-table').tBodies[0];
    tbody.addEventListener('click', (ev) => {
      const row = ev.target.closest('tr.dl-row');
      if (row) openDeadLetter(row.dataset.id);
    });
    tbody.addEventListener('keydown', (ev) => {
      if (ev.key !== 'Enter' && ev.key !== ' ') return;
      const row = ev.target.closest('tr.dl-row');
      if (row) { ev.preventDefault(); openDeadLetter(row.dataset.id); }
    });
    renderBulkArea();
  }

  async function loadDeadLetters() {
    const dl = state.dl;
    if (!dl.filter) dl.filter = readDlFilter();
    const f = dl.filter;
    const seq = ++dl.seq;
    const table = $('dl-table');
    table.setAttribute('aria-busy', 'true');
    const url = API + '/dead-letters?' + qs({
      state: f.state, source: f.source, location: f.location, stage: f.stage, errorClass: f.errorClass,
      from: f.from, to: f.to, q: '', page: dl.page, size: PAGE_SIZE
    });
    try {
      const data = await api('GET', url);
      if (seq !== dl.seq) return;
      const items = (data && Array.isArray(data.items)) ? data.items : [];
      dl.total = (data && typeof data.total === 'number') ? data.total : items.length;
      // Page fell off the end (e.g. after replays): step back.
      if (items.length === 0 && dl.page > 0 && dl.page * PAGE_SIZE >= dl.total) {
        dl.page = Math.max(0, Math.ceil(dl.total / PAGE_SIZE) - 1);
        return loadDeadLetters();
      }
      dl.items = items;
      renderDlTable(items);
      renderDlPager(data && typeof data.serverMillis === 'number' ? data.serverMillis : null);
      renderBulkArea();
    } catch (e) {
      if (seq === dl.seq) showError(e, 'Loading dead letters failed');
    } finally {
      if (seq === dl.seq) table.removeAttribute('aria-busy');
    }
  }

  function stateBadge(s) {
    const v = String(s || '');
    return el('span', { class: 'badge badge-state-' + v.toLowerCase() }, v || '?');
  }

  function renderDlTable(items) {
    const tbody = $('dl-table').tBodies[0];
    if (!items.length) {
      tbody.replaceChildren(el('tr', { class: 'empty' }, el('td', { colspan: 9 }, 'No dead letters match these filters.')));
      return;
    }
    tbody.replaceChildren(...items.map((it) => {
      const selected = it.id === state.dl.selectedId;
      return el('tr', {
        class: 'dl-row clickable' + (selected ? ' selected' : ''), dataset: { id: it.id }, tabindex: '0',
        'aria-selected': selected ? 'true' : 'false', title: 'Open dead letter ' + it.id
      },
      el('td', { class: 'nowrap' }, timeEl(it.lastFailureAt)),
      el('td', null, el('span', { class: 'tag' }, it.stage || '')),
      el('td', null, it.source || ''),
      el('td', null, it.locationId || ''),
      el('td', { class: 'mono', title: it.errorClass || '' }, shortClass(it.errorClass)),
      el('td', { class: 'reason', title: it.reason || '' }, truncate(it.reason, 140)),
      el('td', { class: 'num' }, fmtCount(it.attempts)),
      el('td', { class: 'num' }, fmtCount(it.replays)),
      el('td', null, stateBadge(it.state)));
    }));
  }

  function renderDlPager(serverMillis) {
    const dl = state.dl;
    const start = dl.total === 0 ? 0 : dl.page * PAGE_SIZE + 1;
    const end = Math.min(dl.total, dl.page * PAGE_SIZE + dl.items.length);
    $('page-info').textContent = dl.total === 0 ? '0 of 0' : fmtCount(start) + '–' + fmtCount(end) + ' of ' + fmtCount(dl.total);
    $('page-prev').disabled = dl.page <= 0;
    $('page-next').disabled = (dl.page + 1) * PAGE_SIZE >= dl.total;
    $('dl-timing').textContent = serverMillis != null ? '(' + serverMillis + ' ms)' : '';
  }

  // ---------------------------------------------------------------- bulk replay

  function bulkFilterBody() {
    const f = state.dl.filter || readDlFilter();
    const filter = { state: 'OPEN' };
    for (const k of ['source', 'location', 'stage', 'errorClass', 'from', 'to']) {
      if (f[k]) filter[k] = f[k];
    }
    return { filter };
  }

  function renderBulkArea() {
    const area = $('bulk-area');
    if (!state.isOperator) { area.replaceChildren(); return; }
    const dl = state.dl;
    const running = dl.bulkJob && !isJobFinished(dl.bulkJob);
    const f = dl.filter || readDlFilter();
    const openOnly = f.state === 'OPEN';
    let btn = $('bulk-replay');
    if (!btn) {
      btn = el('button', { type: 'button', id: 'bulk-replay', class: 'btn btn-warn', onclick: onBulkReplayClick });
      const confirmWrap = el('span', { id: 'bulk-confirm-wrap', class: 'inline-confirm', hidden: true },
        el('button', { type: 'button', id: 'bulk-replay-confirm', class: 'btn btn-danger', onclick: onBulkReplayConfirm }, 'Confirm'),
        el('button', { type: 'button', id: 'bulk-replay-cancel', class: 'btn btn-ghost', onclick: hideBulkConfirm }, 'Cancel'));
      const progressWrap = el('span', { id: 'bulk-progress-wrap', class: 'bulk-progress', hidden: true },
        el('progress', { id: 'bulk-progress', max: '1', value: '0' }),
        el('span', { id: 'bulk-status', role: 'status' }));
      area.replaceChildren(btn, confirmWrap, progressWrap);
    }
    btn.textContent = 'Replay all matching (' + fmtCount(openOnly ? dl.total : 0) + ')';
    btn.disabled = !!running || !openOnly || dl.total === 0;
    btn.title = !openOnly ? 'Bulk replay only applies to OPEN dead letters: set State to Open and apply'
      : running ? 'A bulk replay is running' : 'Replay every OPEN dead letter matching the applied filters';
    const confirmBtn = $('bulk-replay-confirm');
    if (confirmBtn) confirmBtn.textContent = 'Confirm: replay ' + fmtCount(dl.total) + ' dead letter' + (dl.total === 1 ? '' : 's');
    if (btn.disabled) hideBulkConfirm();
  }

  function onBulkReplayClick() {
    const wrap = $('bulk-confirm-wrap');
    wrap.hidden = false;
    $('bulk-replay-confirm').focus();
  }

  function hideBulkConfirm() {
    const wrap = $('bulk-confirm-wrap');
    if (wrap) wrap.hidden = true;
  }

  function isJobFinished(job) {
    const s = String(job.state || '').toUpperCase();
    return !(s === 'RUNNING' || s === 'PENDING' || s === 'QUEUED' || s === 'CREATED' || s === 'STARTED' || s === '');
  }

  async function onBulkReplayConfirm() {
    const dl = state.dl;
    const confirmBtn = $('bulk-replay-confirm');
    confirmBtn.disabled = true;
    try {
      const job = await api('POST', API + '/replay-jobs', bulkFilterBody());
      hideBulkConfirm();
      if (!job || !job.id) throw new Error('Server did not return a replay job id');
      dl.bulkJob = job;
      renderBulkProgress(job);
      renderBulkArea();
      showMessage('Bulk replay started for ' + fmtCount(job.total) + ' dead letters', 'info');
      if (isJobFinished(job)) onBulkJobFinished(job); else scheduleBulkPoll();
    } catch (e) {
      showError(e, 'Bulk replay failed');
    } finally {
      confirmBtn.disabled = false;
    }
  }

  function scheduleBulkPoll() {
    clearTimeout(state.dl.bulkTimer);
    state.dl.bulkTimer = setTimeout(pollBulkJob, JOB_POLL_MS);
  }

  async function pollBulkJob() {
    const dl = state.dl;
    if (!dl.bulkJob) return;
    try {
      const job = await api('GET', API + '/replay-jobs/' + encodeURIComponent(dl.bulkJob.id));
      dl.bulkJob = Object.assign({}, dl.bulkJob, job || {});
      renderBulkProgress(dl.bulkJob);
      if (isJobFinished(dl.bulkJob)) onBulkJobFinished(dl.bulkJob);
      else scheduleBulkPoll();
      dl.bulkPollErrors = 0;
    } catch (e) {
      dl.bulkPollErrors = (dl.bulkPollErrors || 0) + 1;
      if (dl.bulkPollErrors >= 5 || (e instanceof ApiError && e.status === 404)) {
        showError(e, 'Lost track of bulk replay job');
        $('bulk-status').textContent = 'Status unknown (job ' + dl.bulkJob.id + ')';
        dl.bulkJob = null;
        renderBulkArea();
      } else {
        scheduleBulkPoll();
      }
    }
  }

  function renderBulkProgress(job) {
    const total = Number(job.total) || 0;
    const done = Number(job.done) || 0;
    const failed = Number(job.failed) || 0;
    $('bulk-progress-wrap').hidden = false;
    const p = $('bulk-progress');
    p.max = Math.max(total, 1);
    p.value = Math.min(done + failed, p.max);
    const s = String(job.state || '').toUpperCase();
    let text;
    if (s === 'DONE') text = 'Done: ' + fmtCount(done) + ' replayed, ' + fmtCount(failed) + ' failed';
    else if (isJobFinished(job)) text = s.charAt(0) + s.slice(1).toLowerCase() + ': ' + fmtCount(done) + ' replayed, ' + fmtCount(failed) + ' failed';
    else text = fmtCount(done) + ' / ' + fmtCount(total) + ' replayed, ' + fmtCount(failed) + ' failed';
    $('bulk-status').textContent = text;
    $('bulk-status').className = failed > 0 ? 'status-warn' : '';
  }

  function onBulkJobFinished(job) {
    const s = String(job.state || '').toUpperCase();
    const done = fmtCount(Number(job.done) || 0);
    const failed = fmtCount(Number(job.failed) || 0);
    if (s === 'DONE') showMessage('Bulk replay done: ' + done + ' replayed, ' + failed + ' failed', Number(job.failed) > 0 ? 'error' : 'ok');
    else showMessage('Bulk replay ended with state ' + s + ': ' + done + ' replayed, ' + failed + ' failed', 'error');
    clearTimeout(state.dl.bulkTimer);
    state.dl.bulkJob = job;
    loadDeadLetters();
    if (state.dl.selectedId) openDeadLetter(state.dl.selectedId, true);
  }

  // ---------------------------------------------------------------- dead letter detail

  async function openDeadLetter(id, quiet) {
    const dl = state.dl;
    if (!id) return;
    dl.selectedId = id;
    document.querySelectorAll('#dl-table tr.dl-row').forEach((r) => {
      const on = r.dataset.id === id;
      r.classList.toggle('selected', on);
      r.setAttribute('aria-selected', on ? 'true' : 'false');
    });
    const panel = $('dl-detail');
    const seq = ++dl.detailSeq;
    if (!quiet) {
      panel.hidden = false;
      panel.setAttribute('aria-busy', 'true');
      panel.replaceChildren(el('div', { class: 'detail-head' }, el('h2', null, 'Dead letter'), closeButton()), el('p', { class: 'muted' }, 'Loading…'));
      document.body.classList.add('detail-open');
    }
    try {
      const d = await api('GET', API + '/dead-letters/' + encodeURIComponent(id));
      if (seq !== dl.detailSeq) return;
      dl.detail = d || {};
      renderDetail(dl.detail);
    } catch (e) {
      if (seq !== dl.detailSeq) return;
      showError(e, 'Loading dead letter failed');
      if (!quiet) panel.replaceChildren(el('div', { class: 'detail-head' }, el('h2', null, 'Dead letter'), closeButton()), el('p', { class: 'status-bad' }, 'Could not load this dead letter.'));
    } finally {
      if (seq === dl.detailSeq) panel.removeAttribute('aria-busy');
    }
  }

  function closeButton() {
    return el('button', { type: 'button', id: 'dl-close', class: 'btn btn-ghost btn-small', onclick: closeDetail, 'aria-label': 'Close detail' }, 'Close ✕');
  }

  function closeDetail() {
    const dl = state.dl;
    dl.detailSeq++;
    dl.selectedId = null;
    dl.detail = null;
    $('dl-detail').hidden = true;
    $('dl-detail').replaceChildren();
    document.body.classList.remove('detail-open');
    document.querySelectorAll('#dl-table tr.dl-row.selected').forEach((r) => { r.classList.remove('selected'); r.setAttribute('aria-selected', 'false'); });
  }

  function dlField(label, value) {
    return [el('dt', null, label), el('dd', null, value == null || value === '' ? el('span', { class: 'muted' }, '–') : value)];
  }

  function renderDetail(d) {
    const panel = $('dl-detail');
    panel.hidden = false;
    const isOpen = String(d.state || '').toUpperCase() === 'OPEN';

    const head = el('div', { class: 'detail-head' },
      el('h2', null, 'Dead letter ', stateBadge(d.state)),
      closeButton());

    const fields = el('dl', { class: 'fields' },
      dlField('Id', el('span', { class: 'mono' }, d.id || '')),
      dlField('Stage / queue', [el('span', { class: 'tag' }, d.stage || ''), ' ', el('span', { class: 'mono muted' }, d.queue || '')]),
      dlField('Source', d.source),
      dlField('Location', d.locationId),
      dlField('Order', d.orderId ? el('a', { href: '#orders', class: 'mono', onclick: (ev) => { ev.preventDefault(); jumpToOrder(d.orderId); } }, d.orderId) : null),
      dlField('Event type', d.eventType),
      dlField('Error class', el('span', { class: 'mono' }, d.errorClass || '')),
      dlField('Attempts / replays', fmtCount(d.attempts) + ' / ' + fmtCount(d.replays)),
      dlField('First failure', timeEl(d.firstFailureAt)),
      dlField('Last failure', timeEl(d.lastFailureAt)));

    const reason = el('div', { class: 'block' }, el('h3', null, 'Reason'), el('pre', { id: 'dl-reason', class: 'reason-full' }, d.reason || ''));

    const actions = el('div', { class: 'detail-actions', id: 'dl-actions' });
    if (state.isOperator && isOpen) {
      actions.append(
        el('button', { type: 'button', id: 'dl-replay', class: 'btn btn-primary', onclick: () => replayDeadLetter(d.id) }, 'Replay'),
        d.editable === false ? null : el('button', { type: 'button', id: 'dl-edit', class: 'btn', onclick: () => openEditor(d) }, 'Edit & replay'),
        el('button', { type: 'button', id: 'dl-discard', class: 'btn btn-danger-outline', onclick: () => openDiscard(d) }, 'Discard'));
    }
    const editorSlot = el('div', { id: 'dl-editor-slot' });
    const discardSlot = el('div', { id: 'dl-discard-slot' });

    const payloadText = prettyPayload(d.payload, d.contentType);
    const payload = el('div', { class: 'block' },
      el('h3', null, 'Payload ', el('span', { class: 'muted small' }, d.contentType || '')),
      el('pre', { id: 'dl-payload', class: 'payload' }, payloadText));

    const headerEntries = d.headers && typeof d.headers === 'object' ? Object.entries(d.headers) : [];
    const headers = el('div', { class: 'block' }, el('h3', null, 'Headers (' + headerEntries.length + ')'),
      headerEntries.length
        ? el('div', { class: 'table-wrap' }, el('table', { id: 'dl-headers', class: 'data-table kv-table' },
          el('tbody', null, headerEntries.map(([k, v]) => el('tr', null, el('th', { scope: 'row', class: 'mono' }, k),
            el('td', { class: 'mono' }, typeof v === 'string' ? v : JSON.stringify(v)))))))
        : el('p', { class: 'muted' }, 'No headers'));

    panel.replaceChildren(head, actions, discardSlot, editorSlot, reason, fields, payload, headers);
  }

  function jumpToOrder(orderId) {
    showTab('orders', true);
    $('order-q').value = orderId;
    searchOrders().then(() => { if (state.orders.selectedId !== orderId) openTimeline(orderId); });
  }

  async function replayDeadLetter(id) {
    const btn = $('dl-replay');
    if (btn) btn.disabled = true;
    try {
      await api('POST', API + '/dead-letters/' + encodeURIComponent(id) + '/replay');
      showMessage('Replayed', 'ok');
      loadDeadLetters();
      openDeadLetter(id, true);
    } catch (e) {
      showError(e, 'Replay failed');
      if (btn) btn.disabled = false;
    }
  }

  // editor
  function openEditor(d) {
    const slot = $('dl-editor-slot');
    if ($('dl-editor')) { $('dl-editor').focus(); return; }
    closeDiscard();
    const isJson = /json/i.test(d.contentType || '') || !d.contentType;
    const textarea = el('textarea', { id: 'dl-editor', class: 'editor mono', spellcheck: 'false', rows: '18', 'aria-describedby': 'dl-editor-status', 'aria-label': 'Edited payload' });
    textarea.value = prettyPayload(d.payload, d.contentType);
    const status = el('div', { id: 'dl-editor-status', class: 'editor-status', role: 'status', 'aria-live': 'polite' });
    const validateBtn = el('button', { type: 'button', id: 'dl-validate', class: 'btn' }, 'Validate');
    const replayBtn = el('button', { type: 'button', id: 'dl-replay-edited', class: 'btn btn-primary' }, 'Replay edited');
    const cancelBtn = el('button', { type: 'button', id: 'dl-edit-cancel', class: 'btn btn-ghost', onclick: closeEditor }, 'Cancel');

    const check = () => {
      if (!isJson) { setEditorStatus('info', 'Not JSON (' + d.contentType + '): no syntax check'); replayBtn.disabled = false; return true; }
      const err = jsonError(textarea.value);
      if (err) { setEditorStatus('bad', 'Invalid JSON at ' + err); replayBtn.disabled = true; return false; }
      setEditorStatus('ok', 'JSON syntax OK'); replayBtn.disabled = false; return true;
    };
    textarea.addEventListener('input', check);
    validateBtn.addEventListener('click', async () => {
      validateBtn.disabled = true;
      try {
        const res = await api('POST', API + '/dead-letters/' + encodeURIComponent(d.id) + '/validate', { payload: textarea.value });
        if (res && res.valid) setEditorStatus('ok', 'Valid: the server accepts this payload');
        else setEditorStatus('bad', 'Not valid:', (res && Array.isArray(res.errors)) ? res.errors : []);
      } catch (e) {
        setEditorStatus('bad', 'Validation request failed: ' + (e.problem ? (e.problem.detail || e.problem.title) : e.message), e.errors || []);
        showError(e, 'Validation failed');
      } finally {
        validateBtn.disabled = false;
      }
    });

    replayBtn.addEventListener('click', async () => {
      if (!check()) return;
      replayBtn.disabled = true;
      try {
        await api('POST', API + '/dead-letters/' + encodeURIComponent(d.id) + '/replay', { payload: textarea.value });
        showMessage('Replayed', 'ok');
        closeEditor();
        loadDeadLetters();
        openDeadLetter(d.id, true);
      } catch (e) {
        showError(e, 'Replay of edited payload failed');
        const text = e.problem ? (e.problem.detail || e.problem.title || e.message) : e.message;
        setEditorStatus('bad', 'Rejected: ' + text, e.errors || []);
        replayBtn.disabled = false;
      }
    });

    slot.replaceChildren(el('div', { class: 'editor-box' },
      el('h3', null, 'Edit payload'),
      el('p', { class: 'muted small' }, 'The edited payload is validated by the server before it is replayed. The original is kept for audit.'),
      textarea, status,
      el('div', { class: 'detail-actions' }, validateBtn, replayBtn, cancelBtn)));
    check();
    textarea.focus();
  }

  function setEditorStatus(kind, text, errors = []) {
    const status = $('dl-editor-status');
    if (!status) return;
    status.className = 'editor-status status-' + kind;
    const children = [el('span', null, text)];
    if (errors.length) children.push(el('ul', null, errors.map((e) => el('li', { class: 'mono' }, typeof e === 'string' ? e : JSON.stringify(e)))));
    status.replaceChildren(...children);
  }

  function closeEditor() {
    const slot = $('dl-editor-slot');
    if (slot) slot.replaceChildren();
    const btn = $('dl-edit');
    if (btn) btn.focus();
  }

  // discard
  function openDiscard(d) {
    const slot = $('dl-discard-slot');
    if ($('dl-discard-reason')) { $('dl-discard-reason').focus(); return; }
    closeEditor();
    const input = el('input', { id: 'dl-discard-reason', type: 'text', minlength: '3', maxlength: '500', placeholder: 'Why is this discarded? (min 3 characters)', 'aria-label': 'Discard reason', 'aria-describedby': 'dl-discard-hint' });
    const hint = el('span', { id: 'dl-discard-hint', class: 'muted small' }, 'Required, at least 3 characters.');
    const confirm = el('button', { type: 'button', id: 'dl-discard-confirm', class: 'btn btn-danger' }, 'Confirm discard');
    const cancel = el('button', { type: 'button', id: 'dl-discard-cancel', class: 'btn btn-ghost', onclick: closeDiscard }, 'Cancel');
    const submit = async () => {
      const reason = input.value.trim();
      if (reason.length < 3) {
        hint.textContent = 'A reason of at least 3 characters is required.';
        hint.className = 'small status-bad';
        input.setAttribute('aria-invalid', 'true');
        showMessage('Discard needs a reason of at least 3 characters', 'error');
        input.focus();
        return;
      }
      input.removeAttribute('aria-invalid');
      confirm.disabled = true;
      try {
        await api('POST', API + '/dead-letters/' + encodeURIComponent(d.id) + '/discard', { reason });
        showMessage('Discarded', 'ok');
        loadDeadLetters();
        openDeadLetter(d.id, true);
      } catch (e) {
        showError(e, 'Discard failed');
        confirm.disabled = false;
      }
    };
    confirm.addEventListener('click', submit);
    input.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') { ev.preventDefault(); submit(); } });
    slot.replaceChildren(el('div', { class: 'discard-box' },
      el('label', { for: 'dl-discard-reason' }, 'Discard reason'), input, hint,
      el('div', { class: 'detail-actions' }, confirm, cancel)));
    input.focus();
  }

  function closeDiscard() {
    const slot = $('dl-discard-slot');
    if (slot) slot.replaceChildren();
  }

  // ---------------------------------------------------------------- orders

  function initOrders() {
    $('order-form').addEventListener('submit', (ev) => { ev.preventDefault(); searchOrders(); });
    const tbody = $('order-table').tBodies[0];
    tbody.addEventListener('click', (ev) => {
      const row = ev.target.closest('tr.order-row');
      if (row) openTimeline(row.dataset.id);
    });
    tbody.addEventListener('keydown', (ev) => {
      if (ev.key !== 'Enter' && ev.key !== ' ') return;
      const row = ev.target.closest('tr.order-row');
      if (row) { ev.preventDefault(); openTimeline(row.dataset.id); }
    });
  }

  async function searchOrders() {
    const q = $('order-q').value.trim();
    const tbody = $('order-table').tBodies[0];
    if (!q) {
      tbody.replaceChildren(el('tr', { class: 'empty' }, el('td', { colspan: 8 }, 'Enter a hub id, external id or phone number.')));
      return;
    }
    const seq = ++state.orders.seq;
    $('order-table').setAttribute('aria-busy', 'true');
    try {
      const data = await api('GET', API + '/orders?' + qs({ q }));
      if (seq !== state.orders.seq) return;
      const items = (data && Array.isArray(data.items)) ? data.items : [];
      if (!items.length) {
        tbody.replaceChildren(el('tr', { class: 'empty' }, el('td', { colspan: 8 }, 'No orders found for “' + q + '”.')));
      } else {
        tbody.replaceChildren(...items.map(orderRow));
      }
      if (items.length === 1) openTimeline(items[0].id);
    } catch (e) {
      if (seq === state.orders.seq) showError(e, 'Order search failed');
    } finally {
      if (seq === state.orders.seq) $('order-table').removeAttribute('aria-busy');
    }
  }

  function orderStatusBadge(s) {
    const v = String(s || '');
    return el('span', { class: 'badge badge-order-' + v.toLowerCase().replace(/[^a-z0-9]+/g, '-') }, v || '?');
  }

  // whether the order is in its location's POS yet (the hub keeps putting it in while the POS is down or refusing)
  function posBadge(pos) {
    if (!pos || pos.state !== 'not-in-pos') return null;
    return el('span', { class: 'badge badge-bad badge-not-in-pos', title: pos.lastAnswer ? 'POS answered: ' + pos.lastAnswer : 'Not sent to the POS yet' }, 'NOT IN POS');
  }

  function posField(pos) {
    if (!pos) return '–';
    if (pos.state === 'in-pos') return 'in the POS';
    if (pos.state === 'no-pos') return 'no POS at this location';
    return el('span', null, posBadge(pos), pos.lastAnswer ? el('div', { class: 'mono small pos-answer' }, 'last answer ', timeEl(pos.lastAnswerAt), ': ', pos.lastAnswer) : el('div', { class: 'muted small' }, 'not sent yet'));
  }

  function orderRow(o) {
    const selected = o.id === state.orders.selectedId;
    return el('tr', { class: 'order-row clickable' + (selected ? ' selected' : ''), dataset: { id: o.id }, tabindex: '0', title: 'Show timeline' },
      el('td', { class: 'nowrap' }, timeEl(o.createdAt)),
      el('td', null, el('strong', null, o.displayId || ''), el('div', { class: 'mono muted small' }, o.id || '')),
      el('td', null, o.source || ''),
      el('td', null, o.channel || ''),
      el('td', null, o.locationId || ''),
      el('td', null, orderStatusBadge(o.status), ' ', posBadge(o.pos)),
      el('td', { class: 'num nowrap' }, formatMoney(o.total)),
      el('td', { class: 'mono' }, o.customerPhone || ''));
  }

  async function openTimeline(id) {
    if (!id) return;
    state.orders.selectedId = id;
    document.querySelectorAll('#order-table tr.order-row').forEach((r) => r.classList.toggle('selected', r.dataset.id === id));
    const seq = ++state.orders.tlSeq;
    const panel = $('order-detail');
    panel.hidden = false;
    panel.setAttribute('aria-busy', 'true');
    $('timeline').replaceChildren(el('li', { class: 'muted' }, 'Loading…'));
    try {
      const data = await api('GET', API + '/orders/' + encodeURIComponent(id) + '/timeline');
      if (seq !== state.orders.tlSeq) return;
      renderTimeline(data || {});
    } catch (e) {
      if (seq !== state.orders.tlSeq) return;
      $('timeline').replaceChildren();
      showError(e, 'Loading timeline failed');
    } finally {
      if (seq === state.orders.tlSeq) panel.removeAttribute('aria-busy');
    }
  }

  function renderTimeline(data) {
    const o = data.order || {};
    $('order-summary').replaceChildren(
      el('h2', null, 'Order ', o.displayId || '', ' ', orderStatusBadge(o.status)),
      el('dl', { class: 'fields inline-fields' },
        dlField('Hub id', el('span', { class: 'mono' }, o.id || '')),
        dlField('Source / channel', (o.source || '–') + ' / ' + (o.channel || '–')),
        dlField('Location', o.locationId),
        dlField('Total', formatMoney(o.total)),
        dlField('Customer', o.customerPhone),
        dlField('POS', posField(o.pos)),
        dlField('Created', timeEl(o.createdAt))));
    const events = Array.isArray(data.events) ? data.events : [];
    if (!events.length) {
      $('timeline').replaceChildren(el('li', { class: 'muted' }, 'No events recorded.'));
      return;
    }
    $('timeline').replaceChildren(...events.map((ev) => {
      const kind = String(ev.kind || 'unknown');
      const detail = ev.detail == null ? '' : String(ev.detail);
      const long = detail.length > 120 || detail.includes('\n');
      return el('li', { class: 'tl-event tl-' + kind.replace(/[^a-z0-9-]/gi, ''), dataset: { kind } },
        el('div', { class: 'tl-head' },
          el('span', { class: 'tl-time nowrap' }, timeEl(ev.at)),
          el('span', { class: 'badge badge-kind badge-kind-' + kind.replace(/[^a-z0-9-]/gi, '') }, kind),
          ev.stage ? el('span', { class: 'tag' }, ev.stage) : null,
          ev.actor ? el('span', { class: 'tl-actor muted' }, 'by ', ev.actor) : null),
        detail ? (long ? el('pre', { class: 'tl-detail' }, prettyPayload(detail)) : el('div', { class: 'tl-detail' }, detail)) : null);
    }));
  }

  // ---------------------------------------------------------------- health

  function initHealth() {
    $('health-refresh').addEventListener('click', loadHealth);
  }

  function startHealthRefresh() {
    stopHealthRefresh();
    if (document.hidden) return;
    loadHealth();
    state.health.timer = setInterval(() => {
      if (!document.hidden && state.activeTab === 'health') loadHealth();
    }, HEALTH_REFRESH_MS);
  }

  function stopHealthRefresh() {
    clearInterval(state.health.timer);
    state.health.timer = null;
  }

  async function loadHealth() {
    const seq = ++state.health.seq;
    try {
      const data = await api('GET', API + '/health');
      if (seq !== state.health.seq) return;
      renderHealth(data || {});
      const now = new Date();
      $('health-updated').textContent = 'updated ' + now.toLocaleTimeString();
      $('health-updated').className = '';
    } catch (e) {
      if (seq !== state.health.seq) return;
      $('health-updated').textContent = 'refresh failed at ' + new Date().toLocaleTimeString();
      $('health-updated').className = 'status-bad';
      // Do not spam the message bar every 5 s with the same error.
      const text = e.problem ? (e.problem.detail || e.problem.title) : e.message;
      if (!$('message-bar').hidden && $('message').textContent.includes(text)) return;
      showError(e, 'Loading vendor health failed');
    }
  }

  const CIRCUIT = {
    CLOSED: ['ok', 'CLOSED'],
    HALF_OPEN: ['warn', 'HALF OPEN'],
    OPEN: ['bad', 'OPEN'],
    FORCED_OPEN: ['bad', 'FORCED OPEN'],
    DISABLED: ['off', 'DISABLED']
  };

  function circuitBadge(c) {
    const v = String(c || '').toUpperCase();
    const [cls, label] = CIRCUIT[v] || ['off', v || 'UNKNOWN'];
    const icon = cls === 'ok' ? '● ' : cls === 'warn' ? '◐ ' : cls === 'bad' ? '✕ ' : '○ ';
    return el('span', { class: 'badge badge-' + cls, title: 'Circuit breaker ' + v }, el('span', { 'aria-hidden': 'true' }, icon), label);
  }

  function renderHealth(data) {
    const vendors = Array.isArray(data.vendors) ? data.vendors : [];
    const tbody = $('health-table').tBodies[0];
    const rows = [];
    for (const v of vendors) {
      const fr = typeof v.failureRate === 'number' ? v.failureRate : null;
      const frCell = (fr === null || fr < 0)
        ? el('td', { class: 'num muted', title: 'Not enough calls to compute a failure rate' }, 'n/a')
        : el('td', { class: 'num ' + (fr >= 50 ? 'status-bad' : fr >= 10 ? 'status-warn' : '') }, fmtNum(fr) + ' %');
      const lastFailure = el('td', { class: 'nowrap' }, timeEl(v.lastFailureAt, 'never'));
      if (v.lastFailure) {
        lastFailure.appendChild(el('div', { class: 'small muted ellipsis', title: String(v.lastFailure) }, truncate(v.lastFailure, 80)));
      }
      const fresh = v.stale
        ? el('td', { class: 'status-warn' }, el('span', { class: 'warn-icon', role: 'img', 'aria-label': 'Warning' }, '⚠'), ' Stale', v.staleReason ? el('div', { class: 'small' }, v.staleReason) : null)
        : el('td', { class: 'status-ok' }, 'OK');
      const locations = Array.isArray(v.locations) ? v.locations : [];
      rows.push(el('tr', { class: 'vendor-row' + (v.stale ? ' stale' : ''), dataset: { adapter: v.adapter || '' } },
        el('th', { scope: 'row' }, el('strong', null, v.name || v.adapter || ''), el('div', { class: 'small muted' }, (v.adapter || '') + (v.kind ? ' · ' + v.kind : ''))),
        el('td', null, circuitBadge(v.circuit)),
        frCell,
        el('td', { class: 'num' }, fmtCount(v.calls)),
        el('td', { class: 'num' }, typeof v.slowCallRate === 'number' && v.slowCallRate >= 0 ? fmtNum(v.slowCallRate) + ' %' : 'n/a'),
        el('td', { class: 'num nowrap' }, fmtNum(v.latencyP50Ms) + ' / ' + fmtNum(v.latencyP99Ms) + ' ms'),
        el('td', { class: 'nowrap' }, timeEl(v.lastSuccessAt, 'never')),
        lastFailure,
        el('td', { class: 'nowrap' }, timeEl(v.lastWebhookAt, 'never')),
        el('td', { class: 'num' }, fmtCount(v.webhooksLastHour)),
        el('td', { class: 'num' + (v.deadLetters > 0 ? ' status-bad' : '') }, dlLink(v.deadLetters, { source: v.adapter })),
        fresh));
      for (const loc of locations) {
        rows.push(el('tr', { class: 'location-row', dataset: { adapter: v.adapter || '', location: loc.locationId || '' } },
          el('th', { scope: 'row', class: 'sub' }, '↳ ', loc.locationId || ''),
          el('td', { colspan: 5, class: 'muted small' }, 'location'),
          el('td', { colspan: 4, class: 'small' }, 'Last order ', timeEl(loc.lastOrderAt, 'never')),
          el('td', { class: 'num' + (loc.deadLetters > 0 ? ' status-bad' : '') }, dlLink(loc.deadLetters, { source: v.adapter, location: loc.locationId })),
          el('td', null)));
      }
    }
    if (!rows.length) rows.push(el('tr', { class: 'empty' }, el('td', { colspan: 12 }, 'No vendor adapters configured.')));
    tbody.replaceChildren(...rows);

    const queues = Array.isArray(data.queues) ? data.queues : [];
    $('queue-table').tBodies[0].replaceChildren(...(queues.length ? queues.map((q) => el('tr', { class: 'queue-row', dataset: { queue: q.queue || '' } },
      el('td', { class: 'mono' }, q.queue || ''),
      el('td', { class: 'num' + (q.depth > 100 ? ' status-warn' : '') }, fmtCount(q.depth)),
      el('td', { class: 'num' + (q.deadLetters > 0 ? ' status-bad' : '') }, fmtCount(q.deadLetters))))
      : [el('tr', { class: 'empty' }, el('td', { colspan: 3 }, 'No queues reported.'))]));
  }

  /** A count that jumps to the dead-letter tab filtered accordingly. */
  function dlLink(n, filter) {
    if (!(typeof n === 'number' && n > 0)) return fmtCount(n);
    return el('button', {
      type: 'button', class: 'linkish', title: 'Show these open dead letters',
      onclick: () => {
        $('f-state').value = 'OPEN';
        $('f-source').value = filter.source || '';
        $('f-location').value = filter.location || '';
        $('f-stage').value = '';
        $('f-error').value = '';
        $('f-from').value = '';
        $('f-to').value = '';
        state.dl.filter = readDlFilter();
        state.dl.page = 0;
        showTab('dead-letters', true);
      }
    }, fmtCount(n));
  }

  // ---------------------------------------------------------------- audit

  function initAudit() {
    $('audit-filters').addEventListener('submit', (ev) => {
      ev.preventDefault();
      state.audit.filter = { actor: $('audit-actor').value.trim(), action: $('audit-action').value.trim() };
      state.audit.page = 0;
      loadAudit();
    });
    $('audit-prev').addEventListener('click', () => { if (state.audit.page > 0) { state.audit.page--; loadAudit(); } });
    $('audit-next').addEventListener('click', () => {
      if ((state.audit.page + 1) * PAGE_SIZE < state.audit.total) { state.audit.page++; loadAudit(); }
    });
  }

  async function loadAudit() {
    const a = state.audit;
    const seq = ++a.seq;
    $('audit-table').setAttribute('aria-busy', 'true');
    try {
      const data = await api('GET', API + '/audit?' + qs({ page: a.page, size: PAGE_SIZE, actor: a.filter.actor, action: a.filter.action }));
      if (seq !== a.seq) return;
      const items = (data && Array.isArray(data.items)) ? data.items : [];
      a.total = (data && typeof data.total === 'number') ? data.total : items.length;
      renderAudit(items);
      const start = a.total === 0 ? 0 : a.page * PAGE_SIZE + 1;
      const end = Math.min(a.total, a.page * PAGE_SIZE + items.length);
      $('audit-info').textContent = a.total === 0 ? '0 of 0' : fmtCount(start) + '–' + fmtCount(end) + ' of ' + fmtCount(a.total);
      $('audit-prev').disabled = a.page <= 0;
      $('audit-next').disabled = (a.page + 1) * PAGE_SIZE >= a.total;
    } catch (e) {
      if (seq === a.seq) showError(e, 'Loading audit log failed');
    } finally {
      if (seq === a.seq) $('audit-table').removeAttribute('aria-busy');
    }
  }

  function changeDetails(label, text) {
    if (text == null || text === '') return null;
    return el('details', { class: 'change' }, el('summary', null, label), el('pre', null, prettyPayload(text)));
  }

  function renderAudit(items) {
    const tbody = $('audit-table').tBodies[0];
    if (!items.length) {
      tbody.replaceChildren(el('tr', { class: 'empty' }, el('td', { colspan: 6 }, 'No audit entries.')));
      return;
    }
    tbody.replaceChildren(...items.map((it) => el('tr', { class: 'audit-row', dataset: { id: it.id } },
      el('td', { class: 'nowrap' }, timeEl(it.at)),
      el('td', null, it.actor || ''),
      el('td', null, el('span', { class: 'tag' }, it.action || '')),
      el('td', { class: 'mono small' }, it.target || ''),
      el('td', { class: 'detail-cell' }, it.detail || ''),
      el('td', null, changeDetails('Before', it.before), changeDetails('After', it.after) ||
        (it.before == null ? el('span', { class: 'muted' }, '–') : null)))));
  }

  // ------------------------------------------------------------------ boot

  function boot() {
    if (document.getElementById('login-form')) initLogin();
    else if (document.getElementById('view-dead-letters')) initConsole();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
  else boot();
})();
