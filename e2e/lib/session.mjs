// One signed-in user in their own Chromium context for e2e/xss.mjs: every
// page they reach is checked (nothing built from a payload, no script run,
// a Content-Security-Policy on every HTML response), and any form on it can
// be filled with the hostile corpus and sent, trying valid values only in the
// fields the server refuses.
import path from 'node:path';

import { PASSWORD, check, fail, slug, squash } from './harness.mjs';
import { cspProblems, fallbackFor, pageHook, pageProbe } from './hostile.mjs';

const TEXT_TYPES = new Set(['text', 'search', 'email', 'tel', 'url', 'number', 'password', 'textarea']);
const MAX_TRIES = 6;

// "POST /contacts/{id}/link": a form's kind, whatever record it is about.
export function formKey(method, pathname) {
  return `${method.toUpperCase()} ${pathname.replace(/\/\d+(?=\/|$)/g, '/{id}')}`;
}

// Runs in the page: the form's fields and their options.
function formShape(form) {
  const fields = [...form.elements]
    .filter((el) => el.name && el.localName !== 'button' && el.type !== 'submit')
    .map((el) => ({
      name: el.name,
      type: el.localName === 'textarea' || el.localName === 'select' ? el.localName : el.type,
      value: el.value,
      options: el.localName === 'select' ? [...el.options].map((o) => o.value) : [],
    }));
  return {
    method: (form.getAttribute('method') || 'get').toLowerCase(),
    action: new URL(form.getAttribute('action') || location.pathname, location.href).pathname,
    fields,
  };
}

// Runs in the page: sets the fields as planned (text, radios, checkboxes and
// selects named in the plan; others are left as the page has them).
function applyPlan(form, plan) {
  for (const el of form.elements) {
    if (!el.name) continue;
    if (el.type === 'radio') {
      if (el.name in plan.radio) el.checked = plan.radio[el.name] === el.value;
    } else if (el.type === 'checkbox') {
      if (el.name in plan.checkbox) el.checked = plan.checkbox[el.name].includes(el.value);
    } else if (el.localName === 'select') {
      if (el.name in plan.select) el.value = plan.select[el.name];
    } else if (el.name in plan.text) {
      el.value = plan.text[el.name];
    }
  }
}

export class Session {
  // `world` holds what every session adds to: base URL, browser, ledger,
  // figures, page texts, artifacts.
  constructor(world, name, context, page) {
    this.world = world;
    this.name = name;
    this.context = context;
    this.page = page;
    this.errors = [];
    this.navigations = 0;
    this.lastStatus = 0;
    this.csrf = '';
  }

  static async open(world, username, { strict = false } = {}) {
    // strict: the page's Content-Security-Policy is bypassed, so that only
    // escaping stands between a payload and a running script.
    const context = await world.browser.newContext({
      bypassCSP: strict,
      viewport: { width: 1280, height: 900 },
      locale: 'en-GB',
      timezoneId: 'Europe/London',
    });
    await context.addInitScript(pageHook);
    const page = await context.newPage();
    page.setDefaultTimeout(30000);
    const s = new Session(world, `${username || 'anonymous'}${strict ? ' (CSP bypassed)' : ''}`, context, page);
    s.listen();
    if (username) {
      await s.goto('/sign-in', `${username} opens sign-in`);
      await page.locator('input[name="username"]').fill(username);
      await page.locator('input[name="password"]').fill(PASSWORD);
      await s.click(page.getByRole('button', { name: 'Sign in' }), `${username} signs in`);
      check(new URL(page.url()).pathname === '/', `${username} could not sign in (now at ${page.url()})`);
      s.csrf = await page.locator('input[name="csrf_token"]').first().inputValue();
    }
    return s;
  }

  listen() {
    const { page, world } = this;
    const f = world.figures;
    page.on('console', (message) => {
      const text = message.text();
      for (const [tag, list] of [['__fd_xss__', f.executions], ['__fd_csp__', f.violations]]) {
        if (text.startsWith(tag)) list.push({ ...JSON.parse(text.slice(tag.length)), role: this.name });
      }
    });
    page.on('dialog', (dialog) => {
      f.executions.push({ id: dialog.message(), kind: dialog.type(), url: page.url(), role: this.name });
      dialog.dismiss().catch(() => {});
    });
    page.on('pageerror', (error) => this.errors.push(error.message));
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) this.navigations += 1;
    });
    page.on('response', (response) => {
      if (response.request().isNavigationRequest() && response.frame() === page.mainFrame()) {
        this.lastStatus = response.status();
      }
      world.pending.push(this.checkHeaders(response));
    });
  }

  // Every response of ours carries a CSP; every HTML one a CSP that forbids
  // inline script.
  async checkHeaders(response) {
    const { figures, base } = this.world;
    if (!response.url().startsWith(base)) return;
    const headers = await response.allHeaders().catch(() => null);
    if (!headers) return;
    figures.responses += 1;
    const policy = headers['content-security-policy'];
    if (policy) figures.responsesWithCsp += 1;
    else figures.cspFailures.push(`${response.status()} ${response.url()}: no Content-Security-Policy`);
    if ((headers['content-type'] || '').startsWith('text/html')) {
      figures.htmlResponses += 1;
      const problems = cspProblems(policy);
      if (problems.length === 0) figures.htmlWithCsp += 1;
      else figures.cspFailures.push(`${response.status()} ${response.url()}: ${problems.join('; ')}`);
    }
  }

  async close() {
    await this.context.close().catch(() => {});
  }

  url(pathname) {
    return new URL(pathname, this.world.base).toString();
  }

  async goto(pathname, label) {
    const response = await this.page.goto(this.url(pathname));
    check(response !== null, `${label}: no response for ${pathname}`);
    this.lastStatus = response.status();
    await this.inspect(label);
    return this.lastStatus;
  }

  // Clicks something that loads a new page; answers the page's HTTP status.
  async click(locator, label) {
    const before = this.navigations;
    await locator.click();
    const deadline = Date.now() + 30000;
    while (this.navigations === before) {
      check(Date.now() < deadline, `${label}: clicking did not load a page`);
      await new Promise((r) => setTimeout(r, 20));
    }
    await this.inspect(label);
    return this.lastStatus;
  }

  async screenshot(name) {
    await this.page.screenshot({ path: path.join(this.world.artifacts, `${slug(name)}.png`), fullPage: true });
  }

  // The checks on every page: nothing built from a payload, no script run,
  // no JavaScript error. Keeps the text for the "shown as text" check and
  // notes every form for the coverage check.
  async inspect(label) {
    const { page, world } = this;
    const f = world.figures;
    await page.waitForLoadState('load');
    world.current = this;
    const probe = await page.evaluate(pageProbe);
    this.lastProbe = probe;
    const where = `${label} [${this.name}, HTTP ${this.lastStatus} ${page.url().slice(0, 200)}]`;
    f.pagesChecked += 1;
    f.urlsChecked.add(new URL(page.url()).pathname);
    check(probe.problems.length === 0,
      `${where}: the page built markup from what users typed:\n  ${probe.problems.slice(0, 12).join('\n  ')}`);
    check(this.errors.length === 0, `${where}: JavaScript errors: ${this.errors.join('; ')}`);
    world.assertNoExecutions(where);
    world.pageTexts.add(probe.text);
    for (const form of probe.forms) {
      const key = formKey(form.method, form.action);
      const known = f.formsFound.get(key) || { textFields: new Set(), seenBy: new Set(), example: page.url() };
      for (const n of form.textFields) known.textFields.add(n);
      known.seenBy.add(this.name.split(' ')[0]);
      f.formsFound.set(key, known);
    }
    return probe;
  }

  async mainText() {
    return squash(await this.page.locator('body').innerText());
  }

  // The first form matching `selector`, filled with payloads in every text
  // field (and the first choice in each radio group and select unless
  // `prefer` names one; for checkboxes, a value or a list of values to tick),
  // sent with `button` (default: its first). A field the server refuses gets
  // a valid value instead (fallbackFor, or `fallbacks`) and the form is sent
  // again. Answers the final status and URL.
  // expectRefused: the server should refuse it whatever (sign-in).
  // stores: false when the form only shows what it was sent (a search).
  // record: names what the form writes, for the ledger (default: its action,
  // which is not enough where one action writes several records).
  async submitForm(selector, { label, button, prefer = {}, fallbacks = {}, expectRefused = false, stores = true, record }) {
    const { page, world } = this;
    const locate = async () => {
      const forms = page.locator(selector);
      check((await forms.count()) > 0, `${label}: no form ${selector} on ${page.url()}`);
      return forms.first();
    };
    let form = await locate();
    const shape = await form.evaluate(formShape);
    const key = formKey(shape.method, shape.action);
    const values = new Map(); // text field -> { id, value, embedded } (id null: not a payload)
    const options = { radio: new Map(), checkbox: new Map(), select: new Map() };
    for (const field of shape.fields) {
      if (TEXT_TYPES.has(field.type) && !values.has(field.name)) {
        values.set(field.name, world.ledger.next(`sent by ${this.name} in ${key} field "${field.name}"`));
      }
      const kind = field.type === 'select-one' ? 'select' : field.type;
      if (options[kind]) {
        const list = options[kind].get(field.name) || [];
        if (kind === 'select') list.push(...field.options.filter((v) => v !== ''));
        else list.push(field.value);
        options[kind].set(field.name, list);
      }
    }
    const chosen = { radio: {}, checkbox: {}, select: {} };
    for (const [name, list] of options.radio) chosen.radio[name] = list.includes(prefer[name]) ? prefer[name] : list[0];
    for (const [name, list] of options.select) chosen.select[name] = list.includes(prefer[name]) ? prefer[name] : list[0] || '';
    for (const [name, list] of options.checkbox) {
      const wanted = [prefer[name]].flat().filter((v) => list.includes(v));
      if (wanted.length > 0) chosen.checkbox[name] = wanted;
    }
    const tries = new Map();

    for (let attempt = 1; attempt <= MAX_TRIES; attempt += 1) {
      const plan = { text: {}, radio: chosen.radio, checkbox: chosen.checkbox, select: chosen.select };
      for (const [name, v] of values) plan.text[name] = v.value;
      await form.evaluate(applyPlan, plan);
      const sent = [...values].filter(([, v]) => v.id !== null);
      world.figures.payloadsSubmitted += sent.length;
      for (const [name] of sent) world.figures.fieldsFilled.add(`${key} ${name}`);
      world.figures.formsSubmitted.add(key);
      const submit = button ? form.getByRole('button', { name: button }) : form.locator('button, input[type="submit"]').first();
      const status = await this.click(submit, attempt === 1 ? label : `${label} (try ${attempt})`);
      if (expectRefused) {
        check(status >= 400, `${label}: expected a refusal, got HTTP ${status} (${page.url()})`);
        return { status, url: page.url() };
      }
      if (status < 400) {
        world.writes.push(`${label}: HTTP ${status} after ${attempt} ${attempt === 1 ? 'try' : 'tries'} (${sent.length} payloads)`);
        if (stores) {
          const written = record || shape.action;
          for (const [name, v] of values) {
            if (v.id !== null) world.ledger.expect(`${written}#${name}`, v);
            for (const e of v.embedded || []) world.ledger.expect(`${written}#${name}:${e.id}`, e);
          }
        }
        return { status, url: page.url() };
      }
      check(status === 400, `${label}: HTTP ${status} for ${key}:\n${(await this.mainText()).slice(0, 600)}`);
      const refused = await page.evaluate(() =>
        [...document.querySelectorAll('.govuk-error-summary a[href^="#"]')].map((a) => {
          const id = decodeURIComponent(a.getAttribute('href').slice(1));
          const el = document.getElementById(id);
          return el && el.name ? el.name : id;
        }));
      check(refused.length > 0, `${label}: HTTP 400 without an error summary:\n${(await this.mainText()).slice(0, 600)}`);
      let changed = false;
      for (const name of refused) changed = this.adjust(name, { values, options, chosen, tries, fallbacks }) || changed;
      check(changed, `${label}: the server refused ${refused.join(', ')} and the test has no other value to try`);
      form = await locate();
    }
    return fail(`${label}: still refused after ${MAX_TRIES} tries`);
  }

  // After the server refused field `name`: a valid value, or the next choice.
  adjust(name, { values, options, chosen, tries, fallbacks }) {
    const date = name.match(/^(.*)-(day|month|year)$/);
    const names = date ? ['day', 'month', 'year'].map((p) => `${date[1]}-${p}`) : [name];
    let changed = false;
    for (const n of names) {
      if (!values.has(n)) continue;
      const attempt = (tries.get(n) || 0) + 1;
      tries.set(n, attempt);
      const special = fallbacks[n];
      const next = special ? special[attempt - 1] : fallbackFor(n, attempt);
      if (next === undefined || next === null) continue;
      this.refused(values.get(n));
      values.set(n, typeof next === 'string' ? { id: null, value: next } : next);
      changed = true;
    }
    if (changed) return true;
    for (const kind of ['radio', 'checkbox']) {
      const list = options[kind].get(name);
      if (!list) continue;
      const current = kind === 'radio' ? chosen.radio[name] : (chosen.checkbox[name] || [])[0];
      const index = current === undefined ? 0 : list.indexOf(current) + 1;
      if (index >= list.length) return false;
      if (kind === 'radio') chosen.radio[name] = list[index];
      else chosen.checkbox[name] = [list[index]];
      return true;
    }
    return false;
  }

  // A payload the server's validation refused (it was shown back, not stored).
  refused(use) {
    if (use.id === null) return;
    const tally = this.world.figures.refusedByCategory;
    tally.set(use.category, (tally.get(use.category) || 0) + 1);
    this.world.writes.push(`  refused: ${this.world.ledger.where(use.id)}`);
  }

  // The JSON API with this session's cookie and CSRF token.
  async api(method, pathname, body) {
    const response = await this.context.request.fetch(this.url(pathname), {
      method,
      headers: { 'X-CSRF-Token': this.csrf, 'Content-Type': 'application/json', Accept: 'application/json' },
      data: body === undefined ? undefined : JSON.stringify(body),
      failOnStatusCode: false,
    });
    const f = this.world.figures;
    f.responses += 1;
    if (response.headers()['content-security-policy']) f.responsesWithCsp += 1;
    else f.cspFailures.push(`${response.status()} ${method} ${pathname}: no Content-Security-Policy`);
    check((response.headers()['content-type'] || '').startsWith('application/json'),
      `${method} ${pathname} answered ${response.headers()['content-type']}, not JSON`);
    return { status: response.status(), json: await response.json().catch(() => null) };
  }

  // An API call with a payload wherever `template` holds '$' (or '%': a
  // field the server normalises by design, such as a person's postcode, so
  // not stored verbatim; or '$CATEGORY': the next payload of that category); a string the server refuses (its error names the
  // field) gets a valid value instead. `record(response)` names what the
  // call wrote, for the ledger; `replaces`: it rewrites that whole record, so
  // what was stored in it before is no longer expected. "details." is
  // dropped from field paths, so that a correction's details replace the
  // creation's fields.
  async apiHostile(method, pathname, template, { label, record, replaces = false }) {
    const { world } = this;
    const values = new Map(); // "a.0.b" -> { id, value, normalised }
    const walk = (node, at) => {
      if (typeof node === 'string' && /^(\$|%)/.test(node)) {
        const where = `sent by ${this.name} to ${method} ${pathname} "${at.join('.')}"`;
        const use = node.length > 1 && node !== '%' ? world.ledger.nextOf(node.slice(1), where) : world.ledger.next(where);
        values.set(at.join('.'), { ...use, normalised: node === '%' });
      } else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(v, [...at, k]);
    };
    walk(template, []);
    const build = (node, at) => {
      if (values.has(at.join('.'))) return values.get(at.join('.')).value;
      if (Array.isArray(node)) return node.map((v, i) => build(v, [...at, String(i)]));
      if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, build(v, [...at, k])]));
      return node;
    };
    const tries = new Map();
    for (let attempt = 1; attempt <= MAX_TRIES; attempt += 1) {
      const sent = [...values.values()].filter((v) => v.id !== null).length;
      world.figures.payloadsSubmitted += sent;
      world.figures.apiPayloads += sent;
      const { status, json } = await this.api(method, pathname, build(template, []));
      if (status < 300) {
        world.writes.push(`${label}: HTTP ${status} after ${attempt} ${attempt === 1 ? 'try' : 'tries'} (${sent} payloads)`);
        const written = record(json);
        if (replaces) world.ledger.forget(`${written}#`);
        for (const [at, v] of values) {
          if (v.id !== null && !v.normalised) world.ledger.expect(`${written}#${at.replace(/^details\./, '')}`, v);
        }
        return json;
      }
      check(status === 400, `${label}: HTTP ${status} from ${method} ${pathname}: ${JSON.stringify(json).slice(0, 400)}`);
      const fields = (json?.error?.fields || []).map((x) => x.field.replace(/\[(\d+)\]/g, '.$1'));
      let changed = false;
      for (const [at, v] of values) {
        // Fields are named "children[0].given_name", "given_name" or
        // "referrer_email" (for referrer.email).
        const named = (x) => at === x || at.endsWith(`.${x}`) || at.replaceAll('.', '_') === x;
        if (v.id === null || !fields.some(named)) continue;
        const next = fallbackFor(at, (tries.get(at) || 0) + 1);
        tries.set(at, (tries.get(at) || 0) + 1);
        if (next === null) continue;
        this.refused(v);
        values.set(at, { id: null, value: next });
        changed = true;
      }
      check(changed, `${label}: ${method} ${pathname} refused ${JSON.stringify(json?.error).slice(0, 400)} and the test has no other value to try`);
    }
    return fail(`${label}: still refused after ${MAX_TRIES} tries`);
  }
}
