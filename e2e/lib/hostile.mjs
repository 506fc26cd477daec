// The hostile-input kit of e2e/xss.mjs: the corpus (e2e/hostile-inputs.txt)
// and the ledger of every value sent, the hook that reports a script running
// in a page, the checks of a rendered page and of a Content-Security-Policy,
// and the values that satisfy a field's format when the server refuses a
// payload there.
import { readFileSync } from 'node:fs';

// ------------------------------------------------------------ the corpus
export function loadCorpus(file) {
  const entries = [];
  let category = 'uncategorised';
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line === '' || line === '#' || line.startsWith('# ')) continue;
    const heading = line.match(/^## (\S+)$/);
    if (heading) {
      category = heading[1];
      continue;
    }
    entries.push({ category, template: line });
  }
  return entries;
}

// A corpus line with its placeholders filled in (see hostile-inputs.txt).
export function expand(template, id) {
  return template
    .replaceAll('{ID}', String(id))
    .replace(/\{U\+([0-9A-Fa-f]{4,6})\}/g, (_, hex) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/\{REPEAT (\d+) ([^}]*)\}/g, (_, n, text) => text.repeat(Number(n)));
}

// Every payload sent, by the id it carries, and what each accepted write
// should have stored: the latest value per record and field.
export class Ledger {
  constructor(corpus) {
    this.corpus = corpus;
    this.cursor = 0;
    this.uses = new Map(); // id -> { category, template, value, where }
    this.expected = new Map(); // "record#field" -> { id, value, category, where }
  }

  // The corpus in turn, so that every field meets a different payload each
  // time and every payload meets many fields.
  next(where) {
    const entry = this.corpus[this.cursor % this.corpus.length];
    this.cursor += 1;
    return this.use(entry, where);
  }

  // The payloads of one category in turn (each category keeps its place).
  nextOf(category, where) {
    const entries = this.corpus.filter((e) => e.category === category);
    this.cursors = this.cursors || new Map();
    const at = this.cursors.get(category) || 0;
    this.cursors.set(category, at + 1);
    return this.use(entries[at % entries.length], where);
  }

  use(entry, where) {
    const id = this.uses.size + 1;
    const use = { id, category: entry.category, template: entry.template, value: expand(entry.template, id), where };
    this.uses.set(id, use);
    return use;
  }

  // An accepted write of a payload: the record should now hold it.
  expect(key, use) {
    this.expected.set(key, use);
  }

  // A record rewritten whole: what it held before is gone.
  forget(prefix) {
    for (const key of [...this.expected.keys()]) if (key.startsWith(prefix)) this.expected.delete(key);
  }

  where(id) {
    const use = this.uses.get(Number(id));
    return use ? `payload ${id} (${use.category}: ${JSON.stringify(use.value.slice(0, 80))}) ${use.where}` : `id ${id}`;
  }
}

// ------------------------------------------------------------ in the page
// Runs in every frame before the page's own scripts: a payload that runs
// calls window.__xss(id) (or alert), and the browser's report of anything the
// Content-Security-Policy blocked is passed on. Both go out through the
// console, which survives the page navigating away.
export function pageHook() {
  const say = (tag, detail) => console.log(`${tag}${JSON.stringify({ ...detail, url: location.href })}`);
  Object.defineProperty(window, '__xss', {
    value: (id) => say('__fd_xss__', { id: String(id) }),
    writable: false,
    configurable: false,
  });
  document.addEventListener('securitypolicyviolation', (e) =>
    say('__fd_csp__', { directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample }),
  );
}

// Runs in the page: anything that was built from a payload instead of
// showing it as text (an element, an event handler, a script URL), the text
// the page shows (with what its fields hold), its links and its forms.
export function pageProbe() {
  const problems = [];
  const origin = location.origin;
  const show = (el) => el.outerHTML.replace(/\s+/g, ' ').slice(0, 160);
  const urlAttributes = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster', 'background', 'ping']);
  const ours = (url) => url.startsWith(`${origin}/assets/`);
  for (const el of document.querySelectorAll('*')) {
    const tag = el.localName;
    for (const a of el.attributes) {
      const name = a.name.toLowerCase();
      if (name.startsWith('on')) problems.push(`an event-handler attribute "${name}": ${show(el)}`);
      else if (name === 'data-xss') problems.push(`an element built from a payload: ${show(el)}`);
      else if (name === 'srcdoc') problems.push(`a frame with srcdoc: ${show(el)}`);
      else if (name === 'style' && /expression\(|javascript:|url\(/i.test(a.value)) problems.push(`a style attribute from a payload: ${show(el)}`);
      else if (urlAttributes.has(name)) {
        // Browsers ignore controls and spaces in a URL's scheme.
        const url = a.value.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();
        if (/^(javascript|vbscript|data):/.test(url) && !(tag === 'img' && url.startsWith('data:image/'))) {
          problems.push(`a script or data URL in "${name}": ${show(el)}`);
        }
      }
    }
    if (tag === 'script' && !(el.src && ours(el.src))) problems.push(`a script that is not one of ours: ${show(el)}`);
    if (tag === 'link' && !ours(el.href)) problems.push(`a <link> that is not one of ours: ${show(el)}`);
    if (tag === 'meta' && el.hasAttribute('http-equiv')) problems.push(`a <meta http-equiv>: ${show(el)}`);
    if (['iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base', 'template', 'style'].includes(tag)) {
      problems.push(`a <${tag}> element: ${show(el)}`);
    }
  }
  const fieldValues = [...document.querySelectorAll('input, textarea')]
    .filter((el) => el.type !== 'hidden' && el.type !== 'password')
    .map((el) => el.value);
  const textTypes = new Set(['text', 'search', 'email', 'tel', 'url', 'number', 'password', 'textarea']);
  const forms = [...document.forms].map((form) => ({
    method: (form.getAttribute('method') || 'get').toLowerCase(),
    action: new URL(form.getAttribute('action') || location.pathname, location.href).pathname,
    textFields: [...new Set([...form.elements].filter((el) => el.name && textTypes.has(el.type)).map((el) => el.name))],
  }));
  return {
    problems,
    text: [document.title, document.body ? document.body.textContent : '', ...fieldValues].join('\n'),
    links: [...document.querySelectorAll('a[href]')].map((a) => a.href),
    forms,
  };
}

// How a page shows a value: the HTML parser drops NUL from text and turns it
// into U+FFFD in attribute values and textareas.
export function shownForms(value) {
  return [...new Set([value.replaceAll('\u0000', ''), value.replaceAll('\u0000', '\uFFFD')])];
}

// ------------------------------------------------------------ the header
// What is wrong with a Content-Security-Policy for pages showing what users
// typed: nothing, or the reasons.
export function cspProblems(policy) {
  if (!policy) return ['no Content-Security-Policy header'];
  const directives = new Map();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), sources);
  }
  const problems = [];
  const scripts = directives.get('script-src') || directives.get('default-src');
  if (!scripts) problems.push('no script-src or default-src: any script may run');
  for (const name of ['script-src', 'script-src-elem', 'script-src-attr', 'default-src']) {
    const sources = name === 'default-src' && directives.has('script-src') ? [] : directives.get(name) || [];
    for (const bad of ["'unsafe-inline'", "'unsafe-eval'", '*', 'data:', 'http:', 'https:', 'blob:']) {
      if (sources.includes(bad)) problems.push(`${name} allows ${bad}`);
    }
  }
  if (!directives.has('object-src') && !directives.has('default-src')) problems.push('plug-ins are not restricted');
  if (!directives.has('base-uri')) problems.push('no base-uri: an injected <base> could move every relative URL');
  return problems;
}

// ------------------------------------------------------------ valid values
// What to put in a field whose format the server checks, once it has refused
// a payload there (attempt 1, 2...); null when there is nothing else to try.
export function fallbackFor(name, attempt) {
  if (attempt > 2) return null;
  const rules = [
    [/edd-year$|expected_date_of_birth$/, String(new Date().getFullYear() + 1)],
    [/-day$/, '12'],
    [/-month$/, '4'],
    [/-year$/, '2019'],
    [/date_of_birth$|(^|\.)from$/, '2019-04-12'],
    [/_time$/, '10:30'],
    [/email/, 'xss.test@demo.example.org'],
    [/phone/, '01632 960 123'],
    [/postcode/, 'DB4 7QT'],
    [/nhs_number/, '9434765919'],
    [/upn/, ''], // checked: a letter, 12 digits and a check letter
    [/source_code/, '1A'],
    [/sex$/, '1'],
    [/kind$/, 'child'],
  ];
  for (const [pattern, value] of rules) if (pattern.test(name)) return attempt === 1 ? value : null;
  return attempt === 1 ? 'Refused payload replaced' : null;
}
