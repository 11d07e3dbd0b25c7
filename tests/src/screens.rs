//! The permanent checks every screen must pass, in every language (issue 15): no visible
//! "null", "undefined", untranslated key or raw code; the navigation bar and the roster's
//! filter row fit at 1280 px; one scrolling box per page; text and buttons readable (WCAG
//! AA contrast, 4.5:1, computed from the page's own colours).

use crate::fixtures::i18n;
use crate::{App, WAIT};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// The smallest contrast ratio text and buttons may have (WCAG 2 AA, normal text).
pub const MIN_CONTRAST: f64 = 4.5;

/// The checks, run in the page: returns a list of problems (strings), empty when clean.
/// `arguments[0]` is the language's dictionary (to recognise a key shown as text),
/// `arguments[1]` the minimum contrast.
const CHECKS: &str = r#"
const [dict, minContrast] = arguments;
const problems = [];
const keys = new Set();
(function flatten(node, prefix) {
  for (const [k, v] of Object.entries(node)) {
    const path = prefix ? prefix + '.' + k : k;
    if (v && typeof v === 'object') flatten(v, path); else keys.add(path);
  }
})(dict, '');
const errorCodes = new Set(Object.keys(dict.errors || {}));

function shown(el) {
  if (!el || el.closest('[hidden]')) return false;
  const s = getComputedStyle(el);
  if (s.visibility === 'hidden' || s.display === 'none') return false;
  const r = el.getBoundingClientRect();
  return r.width > 0 && r.height > 0;
}
function describe(el) {
  const id = el.closest('[data-testid]');
  return el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '')
    + (id ? ` in [data-testid=${id.getAttribute('data-testid')}]` : '');
}

// ---- text ---------------------------------------------------------------------------
const texts = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let n = walker.nextNode(); n; n = walker.nextNode()) {
  const text = n.textContent.trim();
  const el = n.parentElement;
  // <code> is for what a user must type as it is (a setting's key).
  if (!text || !el || el.closest('script,style,option,template,code')) continue;
  if (!shown(el)) continue;
  texts.push([text, el]);
}
for (const el of document.querySelectorAll('select')) {
  if (shown(el) && el.selectedOptions[0]) texts.push([el.selectedOptions[0].textContent.trim(), el]);
}
for (const el of document.querySelectorAll('[placeholder],[title],[aria-label]')) {
  if (!shown(el)) continue;
  for (const a of ['placeholder', 'title', 'aria-label']) {
    const v = el.getAttribute(a);
    if (v && v.trim()) texts.push([v.trim(), el]);
  }
}
for (const [text, el] of texts) {
  const bad = [];
  if (/(^|[^\p{L}\p{N}_])(null|undefined|NaN|\[object Object\])(?![\p{L}\p{N}_])/u.test(text)) bad.push('null/undefined');
  if (/\[\]|\{\}/.test(text)) bad.push('an empty list printed raw');
  if (/JSHSHIR/.test(text)) bad.push('JSHSHIR (the spelling is JShShIR)');
  if (/(^|[^\p{L}-])(uz-Latn|uz-Cyrl)(?![\p{L}-])/u.test(text) && !el.closest('code')) bad.push('a language code');
  if (/(^|[^\d-])\d{4}-\d{2}-\d{2}(?![\d-])/.test(text)) bad.push('an ISO date (each language has its own format)');
  if (/(^|[^\d\/])\d{1,2}\/\d{1,2}\/\d{4}(?![\d\/])/.test(text)) bad.push('a slashed date (the browser\'s own format, not the language\'s)');
  for (const m of text.matchAll(/[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)+/g)) {
    if (keys.has(m[0])) bad.push(`the key ${m[0]}`);
    else if (/^[a-z]{2,}(?:_[a-z]+)*\.[a-z]{2,}(?:_[a-z]+)*$/.test(m[0]) && !/\.(pdf|png|jpe?g|json|xlsx?|csv|ods|txt|pub|tsv)$/.test(m[0])
      && !/^demo\./.test(m[0])) bad.push(`the code ${m[0]}`);
  }
  for (const m of text.matchAll(/(?<![\p{L}\p{N}_.\/-])[a-z]+(?:_[a-z0-9]+)+(?![\p{L}\p{N}_.\/-])/gu)) {
    bad.push(errorCodes.has(m[0]) ? `the error code ${m[0]}` : `the code ${m[0]}`);
  }
  if (bad.length) problems.push(`text ${JSON.stringify(text.slice(0, 120))} (${describe(el)}): ${[...new Set(bad)].join(', ')}`);
}

// ---- fit at this width -----------------------------------------------------------------
function overflows(el, what) {
  if (!el || !shown(el)) return;
  if (el.scrollWidth > el.clientWidth + 1) problems.push(`${what} overflows: scrollWidth ${el.scrollWidth} > clientWidth ${el.clientWidth}`);
}
overflows(document.querySelector('.app-nav'), 'the navigation bar');
overflows(document.querySelector('.nav-links'), 'the navigation links');
for (const el of document.querySelectorAll('.app-nav a, .app-nav button, .app-header a, .app-header button, .app-header select')) {
  if (!shown(el)) continue;
  const r = el.getBoundingClientRect();
  if (r.right > window.innerWidth + 1 || r.left < -1) problems.push(`${describe(el)} sticks out of the window (${Math.round(r.left)}..${Math.round(r.right)} of ${window.innerWidth})`);
  if (el.scrollWidth > el.clientWidth + 1) problems.push(`${describe(el)} clips its label`);
}
if (document.documentElement.scrollWidth > window.innerWidth + 1) problems.push(`the page scrolls sideways (${document.documentElement.scrollWidth} > ${window.innerWidth})`);
const filterRow = document.querySelector('[data-testid="roster-toolbar"]');
if (filterRow && shown(filterRow)) {
  overflows(filterRow, 'the roster filter row');
  const tops = [...filterRow.children].filter(shown).map(c => Math.round(c.getBoundingClientRect().top + c.getBoundingClientRect().height / 2));
  if (tops.length && Math.max(...tops) - Math.min(...tops) > 4) problems.push('the roster filter row wraps onto a second line');
  const canvas = document.createElement('canvas').getContext('2d');
  for (const sel of filterRow.querySelectorAll('select')) {
    const s = getComputedStyle(sel);
    canvas.font = `${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
    const room = sel.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
    // Short lists must fit whole; a long one (the countries) at least what is chosen.
    for (const o of (sel.options.length <= 20 ? [...sel.options] : [...sel.selectedOptions])) {
      const w = canvas.measureText(o.textContent).width;
      if (w > room + 1) problems.push(`the filter ${sel.getAttribute('data-testid')} cuts ${JSON.stringify(o.textContent)} (${Math.round(w)} > ${Math.round(room)} px)`);
    }
  }
}
for (const badge of document.querySelectorAll('.badge')) {
  if (!shown(badge)) continue;
  const lh = parseFloat(getComputedStyle(badge).lineHeight) || 18;
  if (badge.getClientRects().length > 1 || badge.getBoundingClientRect().height > lh * 1.6 + 6) problems.push(`the badge ${JSON.stringify(badge.textContent)} breaks onto two lines`);
}

// ---- a message never lies over the screen
const toast = document.querySelector('[data-testid="toast"]');
const view = document.getElementById('view');
if (toast && view && shown(toast)) {
  const a = toast.getBoundingClientRect(), b = view.getBoundingClientRect();
  if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) problems.push('the toast lies over the screen');
}

// ---- one scrolling box --------------------------------------------------------------
const scrollers = [];
for (const el of document.querySelectorAll('body *')) {
  if (/^(TEXTAREA|SELECT|OPTION)$/.test(el.tagName) || !shown(el)) continue;
  const s = getComputedStyle(el);
  if (/(auto|scroll)/.test(s.overflowY) && el.scrollHeight > el.clientHeight + 1 && !el.closest('.enrol-results, .nav-links')) scrollers.push(describe(el));
}
if (scrollers.length > 1) problems.push(`${scrollers.length} boxes scroll inside each other: ${scrollers.join(' / ')}`);

// ---- contrast -----------------------------------------------------------------------
function rgba(text) {
  const m = text.match(/rgba?\(([^)]+)\)/);
  if (!m) return [0, 0, 0, 0];
  const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number);
  return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
}
function over(top, bottom) { // top (rgba) composited over an opaque bottom
  const a = top[3];
  return [0, 1, 2].map(i => top[i] * a + bottom[i] * (1 - a));
}
function mix(a, b, t) { return [0, 1, 2].map(i => a[i] * t + b[i] * (1 - t)); }
function luminance(c) {
  const [r, g, b] = c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function ratio(a, b) {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}
function colours(el) {
  const chain = [];
  for (let e = el; e && e.nodeType === 1; e = e.parentElement) chain.unshift(e);
  let bg = [255, 255, 255];
  let outer = bg;
  let opacity = 1;
  for (const e of chain) {
    const s = getComputedStyle(e);
    const o = parseFloat(s.opacity);
    if (o < 1 && opacity === 1) outer = bg;
    opacity *= o;
    bg = over(rgba(s.backgroundColor), bg);
  }
  const fg = over(rgba(getComputedStyle(el).color), bg);
  if (opacity < 1) return [mix(fg, outer, opacity), mix(bg, outer, opacity)];
  return [fg, bg];
}
const seen = new Set();
const candidates = texts.map(([, el]) => el).concat([...document.querySelectorAll('button, .btn, input, select')]);
for (const el of candidates) {
  if (seen.has(el) || !shown(el)) continue;
  seen.add(el);
  if (el.matches('input[type=checkbox], input[type=radio], input[type=file], input[type=range], progress')) continue;
  const [fg, bg] = colours(el);
  const r = ratio(fg, bg);
  if (r < minContrast - 0.005) {
    const hex = c => '#' + c.map(v => Math.round(v).toString(16).padStart(2, '0')).join('');
    problems.push(`contrast ${r.toFixed(2)}:1 < ${minContrast}:1 for ${describe(el)} ${JSON.stringify((el.textContent || el.value || '').trim().slice(0, 40))} (${hex(fg)} on ${hex(bg)})`);
  }
}
return [...new Set(problems)];
"#;

impl App {
    /// Runs the checks on the screen as it is now; the problems found (empty when clean).
    pub fn screen_problems(&self, lang: &str) -> Vec<String> {
        match self.try_execute(CHECKS, json!([i18n(lang), MIN_CONTRAST])) {
            Ok(Value::Array(items)) => items.iter().map(|v| v.as_str().unwrap_or_default().to_string()).collect(),
            Ok(other) => vec![format!("the checks answered {other}")],
            Err(e) => vec![format!("the checks failed to run: {e}")],
        }
    }

    /// Waits (a few seconds at most, the screen may still be filling) until the screen
    /// passes every check; fails listing the problems otherwise.
    #[track_caller]
    pub fn assert_screen_clean(&self, what: &str, lang: &str) {
        let deadline = Instant::now() + WAIT.min(Duration::from_secs(4));
        loop {
            let problems = self.screen_problems(lang);
            if problems.is_empty() {
                return;
            }
            if Instant::now() > deadline {
                self.fail(&format!("{what} in {lang}:\n  - {}", problems.join("\n  - ")));
            }
            std::thread::sleep(Duration::from_millis(300));
        }
    }

    /// Resizes the window (the screen of the test display is 1920×1200).
    #[track_caller]
    pub fn resize(&self, width: u32, height: u32) {
        let _ = self.cmd("POST", "/window/rect", Some(json!({"width": width, "height": height})));
        self.wait_until(&format!("the window at {width} px"), WAIT, |app| {
            let w = app.execute("return window.innerWidth;", json!([]));
            (w.as_u64() == Some(u64::from(width))).then_some(())
        });
    }
}
