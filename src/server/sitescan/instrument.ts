// Runs in Node (server, CLI); the string below runs inside every frame the scanner opens,
// before the page's own scripts. It reports code that reaches execution sinks (eval,
// Function, document.write, string timers), decoder outputs and scripts/frames inserted by
// script, through a binding, and shortens long setTimeout delays so delayed payloads show.

export const REPORT_BINDING = '__munjigiReport';
/** Window function the settle loop calls: pending shortened timers and DOM quiet time. */
export const SETTLE_PROBE = '__munjigiSettle';

/**
 * `scannerMark` is a per-visit random comment that starts the scanner's own evaluations
 * (settle probe, DOM collection, canary): Playwright runs them through the page's eval, and
 * they are not the page's code.
 */
export function instrumentScript(timerClampMs: number, scannerMark: string): string {
  return `(() => {
  const rep = window[${JSON.stringify(REPORT_BINDING)}];
  if (typeof rep !== 'function') return;
  const MAX = 100000;
  const send = (kind, data) => { try { rep(kind, String(data).slice(0, MAX)); } catch (e) {} };
  const from = () => { const s = document.currentScript; return s ? (s.src || 'inline') : ''; };
  try {
    const origEval = window.eval;
    const mark = ${JSON.stringify(scannerMark)};
    window.eval = function (code) { if (typeof code === 'string' && !code.slice(0, 80).includes(mark)) send('eval', code); return origEval(code); };
    const OrigFunction = window.Function;
    const Wrapped = function (...args) { if (args.length) send('function', String(args[args.length - 1])); return OrigFunction.apply(this, args); };
    Wrapped.prototype = OrigFunction.prototype;
    Object.defineProperty(OrigFunction.prototype, 'constructor', { value: Wrapped, writable: true, configurable: true });
    window.Function = Wrapped;
    const D = Document.prototype;
    for (const name of ['write', 'writeln']) {
      const orig = D[name];
      D[name] = function (...parts) { send('write', parts.join('')); return orig.apply(this, parts); };
    }
    const origST = window.setTimeout, origSI = window.setInterval, origCT = window.clearTimeout;
    // time warp: a long delay is shortened to the clamp and the delay asked for is reported;
    // the settle check asks how many shortened timers are still pending
    const warped = new Set();
    let warpedFired = 0, lastMutation = performance.now();
    window.setTimeout = function (fn, ms, ...rest) {
      if (typeof fn === 'string') send('timer', fn);
      const d = Number(ms) || 0;
      if (d <= ${timerClampMs}) return origST.call(window, fn, d, ...rest);
      send('delay', String(Math.round(d)));
      const id = origST.call(window, function (...a) {
        warped.delete(id); warpedFired += 1;
        return typeof fn === 'function' ? fn.apply(this, a) : origEval(String(fn));
      }, ${timerClampMs}, ...rest);
      warped.add(id);
      return id;
    };
    window.clearTimeout = function (id) { warped.delete(id); return origCT.call(window, id); };
    try {
      new MutationObserver(() => { lastMutation = performance.now(); })
        .observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
    } catch (e) {}
    Object.defineProperty(window, ${JSON.stringify(SETTLE_PROBE)}, {
      value: () => ({ pending: warped.size, fired: warpedFired, quietMs: performance.now() - lastMutation }),
      enumerable: false,
    });
    window.setInterval = function (fn, ms, ...rest) { if (typeof fn === 'string') send('timer', fn); return origSI.call(window, fn, ms, ...rest); };
    const watchDecoder = (obj, name) => {
      const orig = obj[name];
      if (typeof orig !== 'function') return;
      obj[name] = function (...args) { const out = orig.apply(this, args); if (typeof out === 'string' && out.length >= 24) send('decoded', out); return out; };
    };
    watchDecoder(window, 'atob'); watchDecoder(window, 'unescape'); watchDecoder(window, 'decodeURIComponent');
    const watchInsert = (proto, name) => {
      const orig = proto[name];
      proto[name] = function (...args) {
        for (const n of args) {
          if (n && n.nodeType === 1 && (n.tagName === 'SCRIPT' || n.tagName === 'IFRAME')) {
            send('insert', JSON.stringify({ tag: n.tagName.toLowerCase(), src: n.src || '', from: from() }));
          }
        }
        return orig.apply(this, args);
      };
    };
    watchInsert(Node.prototype, 'appendChild'); watchInsert(Node.prototype, 'insertBefore');
    watchInsert(Element.prototype, 'append'); watchInsert(Element.prototype, 'prepend');
    watchInsert(Element.prototype, 'before'); watchInsert(Element.prototype, 'after');
  } catch (e) { send('error', String(e)); }
})();`;
}

/**
 * Runs in the page after it settled: what a person sees and what is hidden, as plain data.
 * Plain JavaScript source because it runs in the browser, not under Node's types.
 */
export const COLLECT_DOM = `(() => {
  const MAX_ELEMENTS = 3000;
  const hiddenReasons = (el) => {
    const reasons = [];
    if (typeof el.checkVisibility === 'function' && !el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) reasons.push('css-hidden');
    const r = el.getBoundingClientRect();
    if (r.width * r.height < 4) reasons.push('tiny');
    const cs = getComputedStyle(el);
    if (el.tagName === 'A' && parseFloat(cs.fontSize) < 2) reasons.push('font-size-0');
    const docW = Math.max(document.documentElement.scrollWidth, innerWidth);
    const docH = Math.max(document.documentElement.scrollHeight, innerHeight);
    if (r.right <= 0 || r.bottom <= 0 || r.left >= docW || r.top >= docH) reasons.push('off-screen');
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflow !== 'visible') {
        const pr = p.getBoundingClientRect();
        if (pr.width < 2 || pr.height < 2) { reasons.push('clipped'); break; }
      }
    }
    return reasons;
  };
  const elements = [];
  for (const el of Array.from(document.querySelectorAll('iframe[src], frame[src], a[href]')).slice(0, MAX_ELEMENTS)) {
    const isA = el.tagName === 'A';
    const r = el.getBoundingClientRect();
    elements.push({
      tag: isA ? 'a' : 'iframe',
      url: isA ? el.href : el.src,
      text: (isA ? (el.textContent || '') + ' ' + (el.getAttribute('title') || '') : '').replace(/\\s+/g, ' ').trim().slice(0, 200),
      width: Math.round(r.width),
      height: Math.round(r.height),
      hidden: hiddenReasons(el),
    });
  }
  const metaRefresh = Array.from(document.querySelectorAll('meta[http-equiv]'))
    .filter((m) => (m.getAttribute('http-equiv') || '').toLowerCase() === 'refresh')
    .map((m) => m.getAttribute('content') || '');
  const inline = Array.from(document.querySelectorAll('script:not([src])'))
    .map((s) => s.textContent || '').filter((t) => t.trim().length > 0).slice(0, 200).map((t) => t.slice(0, 200000));
  const structure = [];
  const walk = (el, depth) => {
    if (structure.length >= MAX_ELEMENTS || depth > 12) return;
    for (const c of Array.from(el.children)) { structure.push(el.tagName.toLowerCase() + '>' + c.tagName.toLowerCase()); walk(c, depth + 1); }
  };
  walk(document.documentElement, 0);
  return {
    title: (document.title || '').slice(0, 300),
    text: ((document.body && document.body.innerText) || '').replace(/\\s+/g, ' ').trim().slice(0, 50000),
    elements, metaRefresh, inline, structure,
    formFields: document.querySelectorAll('input:not([type=hidden]), textarea').length,
  };
})()`;

export interface CollectedDom {
  title: string;
  text: string;
  elements: Array<{ tag: 'iframe' | 'a'; url: string; text: string; width: number; height: number; hidden: string[] }>;
  metaRefresh: string[];
  inline: string[];
  structure: string[];
  formFields: number;
}

/** Types a canary into every form field (never submits) so a skimmer sends it somewhere. */
export const fillCanaryScript = (canary: string) => `(() => {
  const canary = ${JSON.stringify(canary)};
  const fields = Array.from(document.querySelectorAll('input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=checkbox]):not([type=radio]):not([type=file]), textarea')).slice(0, 50);
  for (const el of fields) {
    const type = (el.type || 'text').toLowerCase();
    const value = type === 'email' ? canary + '@example.com' : (type === 'number' || type === 'tel') ? '4111111111111111' : canary;
    try {
      el.focus(); el.value = value;
      for (const ev of ['keydown', 'input', 'keyup', 'change']) el.dispatchEvent(new Event(ev, { bubbles: true }));
      el.blur(); el.dispatchEvent(new Event('blur', { bubbles: true }));
    } catch (e) {}
  }
  return fields.length;
})()`;
