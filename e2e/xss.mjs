#!/usr/bin/env node
// Hostile input in real Chromium (issue #5, battery 5, the browser half).
//
// The corpus in e2e/hostile-inputs.txt (script tags, event handlers,
// attribute-breaking quotes, javascript: and data: URLs, SVG, template and
// CSS tricks, encodings, RLO and zero-width characters, SQL injection, very
// long strings, control characters) goes into every text field of every form
// the demo users reach, and into the strings only the JSON API takes. Then
// every page that shows those values is read as each demo user, and:
//   - no payload runs: each one calls window.__xss(id) or alert(id), and a
//     hook in every frame reports either; the pages are read once with the
//     Content-Security-Policy in force and once with it bypassed, so that
//     escaping alone is shown to be enough;
//   - nothing is built from a payload (no element, event handler or script
//     URL), and each stored value is shown as text, verbatim, or read back
//     verbatim through the API (so SQL strings are stored as typed, and the
//     database still answers afterwards);
//   - every HTML response carries a Content-Security-Policy that forbids
//     inline script;
//   - every form found while crawling was sent the corpus.
//
//   node e2e/xss.mjs [path/to/frontdoor]          (or FRONTDOOR_BIN)
//
// Environment: E2E_ARTIFACTS (default build/e2e-artifacts/xss), E2E_KEEP=1
// keeps the data folder, E2E_TIMEOUT (seconds, default 480),
// FRONTDOOR_BATTERY_SUMMARY_DIR (writes xss.txt there).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { CHROMIUM, CHROMIUM_ARGS, Processes, check, ensureAssets, loadChromium, logger, root, run, startServer } from './lib/harness.mjs';
import { Ledger, cspProblems, loadCorpus, pageProbe, shownForms } from './lib/hostile.mjs';
import { Session } from './lib/session.mjs';

const log = logger('xss');
const binary = path.resolve(process.argv[2] || process.env.FRONTDOOR_BIN || '');
const artifacts = path.resolve(root, process.env.E2E_ARTIFACTS || path.join('build', 'e2e-artifacts', 'xss'));
const work = mkdtempSync(path.join(tmpdir(), 'frontdoor-xss-'));
const dataDir = path.join(work, 'data');

// Every demo user (app/demo.cpp).
const ROLES = ['sam.worker', 'maya.manager', 'erin.edt', 'ana.analyst', 'ada.admin',
  'pc.jones', 'sgt.patel', 'ed.teacher', 'hana.health', 'pat.probation', 'dc.mash', 'liz.education',
  'kim.probation', 'dev.housing'];
// The agency whose checks each partner may read (every other agency's check
// is exactly not found to them); the MASH's roles read every check.
const CHECK_READERS = {
  'hana.health': 'health', 'dc.mash': 'police', 'sgt.patel': 'police', 'liz.education': 'education',
  'kim.probation': 'probation', 'dev.housing': 'housing',
};
const MASH_ROLES = ['sam.worker', 'maya.manager', 'erin.edt'];
const MAX_CRAWL = 40; // kinds of page one user's crawl may read (one page of each)

const world = {
  base: '',
  browser: null,
  artifacts,
  ledger: new Ledger(loadCorpus(path.join(root, 'e2e', 'hostile-inputs.txt'))),
  pending: [], // header checks still running
  writes: [], // what each write did, for writes.txt
  pageTexts: new Set(), // what every checked page showed
  figures: {
    formsFound: new Map(), // "POST /contacts/{id}/link" -> { textFields, seenBy, example }
    formsSubmitted: new Set(),
    fieldsFilled: new Set(),
    payloadsSubmitted: 0,
    apiPayloads: 0,
    pagesChecked: 0,
    urlsChecked: new Set(),
    responses: 0,
    responsesWithCsp: 0,
    htmlResponses: 0,
    htmlWithCsp: 0,
    cspFailures: [],
    executions: [],
    violations: [],
    canaryViolations: 0,
    refusedByCategory: new Map(),
  },
  // Any script run so far fails the test, saying which payload and where.
  assertNoExecutions(where) {
    const runs = this.figures.executions.filter((e) => !String(e.id).startsWith('canary'));
    check(runs.length === 0, `a payload ran (last page: ${where}):\n  ${runs.slice(0, 8)
      .map((e) => `${this.ledger.where(e.id)} ran for ${e.role} on ${e.url}`).join('\n  ')}`);
  },
};
const sessions = [];

async function open(username, options) {
  const s = await Session.open(world, username, options);
  sessions.push(s);
  return s;
}

// ------------------------------------------------------------ crawling
// Follows the site's links from the home page, reading one page of each kind
// ("/contacts/{id}" once), so that every form the user can reach is noted.
async function crawl(s) {
  const kinds = new Set();
  const kindOf = (url) => `${url.pathname.replace(/\d+/g, '{id}')}?${[...url.searchParams.keys()].sort().join('&')}`;
  const wanted = (url) => url.origin === world.base && !kinds.has(kindOf(url)) && !url.pathname.startsWith('/assets/');
  const queue = [new URL('/', world.base)];
  while (queue.length > 0) {
    const url = queue.shift();
    if (!wanted(url)) continue;
    check(kinds.size < MAX_CRAWL, `${s.name} reaches more than ${MAX_CRAWL} kinds of page: raise MAX_CRAWL in e2e/xss.mjs`);
    kinds.add(kindOf(url));
    await s.goto(url.pathname + url.search, `${s.name} crawls ${url.pathname}`);
    for (const link of s.lastProbe.links) queue.push(new URL(link.split('#')[0]));
  }
  return kinds.size;
}

// ------------------------------------------------------------ the writes
function contactId(s) {
  const m = new URL(s.page.url()).pathname.match(/^\/contacts\/(\d+)$/);
  check(m, `${s.name}: expected a contact page, not ${s.page.url()}`);
  return Number(m[1]);
}

// The framework's texts replaced by payloads, its codes and numbers kept.
function hostileFramework(definition, s) {
  const framework = JSON.parse(definition);
  const embedded = [];
  const hostile = (where) => {
    const use = world.ledger.next(`sent by ${s.name} in the framework's ${where}`);
    embedded.push(use);
    return use.value;
  };
  framework.name = hostile('name');
  for (const level of framework.levels) {
    level.name = hostile(`level ${level.number} name`);
    level.descriptor = hostile(`level ${level.number} descriptor`);
    for (const indicator of level.indicators) indicator.text = hostile(`indicator ${indicator.code}`);
  }
  return { id: null, value: JSON.stringify(framework, null, 2), embedded };
}

// A new e-MARF from a partner, filled in and sent; answers its path.
async function eMarf(s) {
  await s.goto('/referrals', `${s.name} opens Your referrals`);
  await s.submitForm('form[action="/referrals/new"]', { label: `${s.name} starts an e-MARF` });
  const form = new URL(s.page.url()).pathname;
  check(/^\/referrals\/\d+$/.test(form), `${s.name}: the e-MARF is not at /referrals/N: ${s.page.url()}`);
  const selector = `form[action="${form}"]`;
  await s.submitForm(selector, { label: `${s.name} adds a child`, button: 'Add another child' });
  await s.submitForm(selector, { label: `${s.name} adds an adult`, button: 'Add another adult' });
  await s.submitForm(selector, { label: `${s.name} saves the draft`, button: 'Save as draft' });
  await s.screenshot(`${s.name}-draft-e-marf`);
  await s.submitForm(selector, { label: `${s.name} sends the referral`, button: 'Send referral' });
  return form;
}

// The newest contact a partner referred.
async function newestReferral(s) {
  const { status, json } = await s.api('GET', '/api/v1/referrals');
  check(status === 200 && json.items.length > 0, `${s.name}: GET /api/v1/referrals answered ${status}`);
  return Math.max(...json.items.map((i) => i.id));
}

// Screens a contact, through each form in turn: every child linked to a new
// person record, then a RAG rating.
async function linkAndScreen(s, id) {
  const page = `/contacts/${id}`;
  await s.goto(page, `${s.name} opens contact ${id}`);
  for (let child = 0; (await s.page.locator(`form[action="${page}/link"]`).count()) > 0; child += 1) {
    check(child < 5, `${s.name}: contact ${id} still offers a link form after ${child} links`);
    await s.submitForm(`form[action="${page}/link"]`, { label: `${s.name} links a child on ${id}`, prefer: { person_id: 'new' } });
  }
  await s.submitForm(`form[action="${page}/screen"]`, { label: `${s.name} screens ${id}` });
}

// ... and proposes a decision.
async function screenAndDecide(s, id) {
  await linkAndScreen(s, id);
  await s.submitForm(`form[action="/contacts/${id}/decision"]`, { label: `${s.name} proposes a decision on ${id}` });
}

// A form inside a closed <details> (the contact page's consent, override and
// withdraw forms) is opened, as a user would, before it is filled in.
async function openDetails(s, selector) {
  const form = s.page.locator(selector).first();
  check((await form.count()) > 0, `${s.name}: no form ${selector} on ${s.page.url()}`);
  await form.evaluate((f) => {
    const details = f.closest('details');
    if (details) details.open = true;
  });
}

// The checks on a contact as the MASH sees them (sub-requests included):
// { id, agency, parent, status } each, agency being "health", "police"...
async function enquiryChecks(s, contact) {
  const { status, json } = await s.api('GET', `/api/v1/contacts/${contact}/enquiry`);
  check(status === 200, `${s.name}: GET /api/v1/contacts/${contact}/enquiry answered ${status}`);
  const kind = (name) => (/NHS/.test(name) ? 'health' : /Constabulary/.test(name) ? 'police' : /Academy/.test(name) ? 'education' : name);
  return json.checks.map((c) => ({ id: c.id, agency: kind(c.agency_name), parent: c.parent_check, status: c.status }));
}

// The MASH enquiry (issue #3) on the school's contact, every text a payload:
// consent for each child (the last refused, then overridden by a manager),
// checks asked of health, police and education with all of the contact
// shared, health's answer and its GP sub-request, the police system's answer
// through the API, one check withdrawn, a manager's early decision while
// checks are open, and the decision naming the answers it relied on.
async function enquiryWrites(s, contact) {
  const sam = s['sam.worker'];
  const maya = s['maya.manager'];
  const page = `/contacts/${contact}`;
  await linkAndScreen(sam, contact);
  const children = await sam.page.locator(`form[action="${page}/consent"]`).count();
  check(children > 0, `${sam.name}: contact ${contact} offers no consent form after screening`);
  for (let child = 0; child < children; child += 1) {
    await sam.goto(page, `sam.worker opens ${contact} to record consent for child ${child + 1}`);
    const form = `form[action="${page}/consent"]:has(input[name="child_index"][value="${child}"])`;
    await openDetails(sam, form);
    await sam.submitForm(form, {
      label: `sam.worker records consent for child ${child + 1} on ${contact}`,
      prefer: { decision: child === children - 1 ? 'refused' : 'given' }, record: `consent-${contact}-${child}`,
    });
  }
  await maya.goto(page, `maya.manager opens ${contact} to agree checks without consent`);
  const override = `form[action="${page}/consent-override"]:has(input[name="child_index"][value="${children - 1}"])`;
  await openDetails(maya, override);
  await maya.submitForm(override, { label: `maya.manager agrees checks without consent on ${contact}`, record: `override-${contact}` });

  // Checks of every agency that answers them, about everyone on the contact.
  await sam.goto(page, `sam.worker opens ${contact} to ask agencies`);
  const request = `form[action="${page}/checks"]`;
  const agencies = await sam.page.locator(`${request} select[name="agency_id"] option`)
    .evaluateAll((options) => options.map((o) => [o.textContent.trim(), o.value]));
  const agencyId = (pattern) => {
    const found = agencies.find(([name]) => pattern.test(name));
    check(found, `${sam.name}: no agency like ${pattern} to ask on ${contact}: ${agencies.map(([n]) => n).join(', ')}`);
    return found[1];
  };
  const people = await sam.page.locator(`${request} input[name="people"]`).evaluateAll((els) => els.map((e) => e.value));
  const shared = await sam.page.locator(`${request} input[name="shared"]`).evaluateAll((els) => els.map((e) => e.value));
  for (const [agency, pattern] of [['health', /NHS/], ['police', /Constabulary/], ['education', /Academy/]]) {
    await sam.goto(page, `sam.worker opens ${contact} to ask ${agency}`);
    await sam.submitForm(request, {
      label: `sam.worker asks ${agency} to check on ${contact}`,
      prefer: { agency_id: agencyId(pattern), people, shared }, record: `check-request-${agency}`,
    });
  }
  // One more of education through the API, withdrawn with a reason on the
  // contact page (liz.education then reads why on the check's page).
  const everyone = people.map((p) => ({ kind: p.split(':')[0], index: Number(p.split(':')[1]) }));
  const extra = await sam.apiHostile('POST', `/api/v1/contacts/${contact}/checks`, {
    agency_id: Number(agencyId(/Academy/)), people: everyone, question: '$', shared: ['concerns'],
  }, { label: `sam.worker asks education again through the API on ${contact}`, record: (c) => `check-${c.id}` });
  await sam.goto(page, `sam.worker opens ${contact} to withdraw ${extra.reference}`);
  const withdraw = `form[action="/checks/${extra.id}/withdraw"]`;
  await openDetails(sam, withdraw);
  await sam.submitForm(withdraw, { label: `sam.worker withdraws ${extra.reference}` });

  let checks = await enquiryChecks(sam, contact);
  const of = (agency) => {
    const found = checks.find((c) => c.agency === agency && !c.parent && c.status === 'requested');
    check(found, `no open ${agency} check on ${contact}: ${JSON.stringify(checks)}`);
    return found;
  };
  // Health answers in its queue, and asks the GP.
  const hana = s['hana.health'];
  const health = of('health');
  await hana.goto('/checks', 'hana.health opens her agency\'s checks');
  await hana.goto(`/checks/${health.id}`, `hana.health opens check ${health.id}`);
  await hana.submitForm(`form[action="/checks/${health.id}/answer"]`, { label: `hana.health answers check ${health.id}` });
  const asked = await hana.page.locator(`form[action="/checks/${health.id}/sub-requests"] input[name="people"]`)
    .evaluateAll((els) => els.map((e) => e.value));
  await hana.submitForm(`form[action="/checks/${health.id}/sub-requests"]`, {
    label: `hana.health asks a health service on check ${health.id}`, prefer: { people: asked },
  });
  // The police system answers through the API, as a partner system would.
  const dc = s['dc.mash'];
  const police = of('police');
  const { status, json } = await dc.api('GET', `/api/v1/checks/${police.id}`);
  check(status === 200, `dc.mash: GET /api/v1/checks/${police.id} answered ${status}`);
  await dc.apiHostile('POST', `/api/v1/checks/${police.id}/answer`, {
    version: json.version,
    answers: json.people.map((p) => ({
      person_id: p.person_id, known: true, summary: '$', relevance: '$', risk: '$', source_system: '$', source_reference: '$',
    })),
    // The partner's own reference only keys a repeat of the answer: it is
    // never shown, so not expected back.
    partner_reference: '%',
  }, { label: `dc.mash answers check ${police.id} through the API`, record: () => `check-${police.id}` });

  // Education and the GP have not answered: a manager lets the decision go
  // ahead, and the worker's decision names the answers it relied on.
  await maya.goto(page, `maya.manager opens ${contact} with checks outstanding`);
  await maya.submitForm(`form[action="${page}/early-decision"]`, { label: `maya.manager allows the decision on ${contact} now` });
  checks = await enquiryChecks(sam, contact);
  await sam.goto(page, `sam.worker opens ${contact} to decide`);
  await sam.submitForm(`form[action="${page}/decision"]`, {
    label: `sam.worker proposes a decision on ${contact}, relying on the answers`,
    prefer: { relied_on_checks: checks.filter((c) => c.status === 'answered').map((c) => String(c.id)) },
  });
  // The side-by-side answers make the page too wide for a full-page shot.
  await sam.page.locator('#checks').scrollIntoViewIfNeeded();
  await sam.page.screenshot({ path: path.join(artifacts, 'sam-worker-enquiry-with-payloads.png') });
  await hana.goto(`/checks/${health.id}`, `hana.health reads check ${health.id}`);
  await hana.screenshot('hana.health-check-with-payloads');
  return checks;
}

async function hostileWrites(s, anonymous) {
  const records = { contacts: [], people: [], forms: [] };

  await anonymous.goto('/sign-in', 'anonymous opens sign-in');
  await anonymous.submitForm('form[action="/sign-in"]', { label: 'sign-in with hostile credentials', expectRefused: true });

  // The administrator publishes a framework whose every text is a payload:
  // the decision form and the e-MARF show it.
  const ada = s['ada.admin'];
  await ada.goto('/admin/thresholds', 'ada.admin opens the threshold framework');
  const definition = await ada.page.locator('textarea[name="definition"]').inputValue();
  await ada.submitForm('form[action="/admin/thresholds"]', {
    label: 'ada.admin publishes a hostile framework',
    fallbacks: { definition: [hostileFramework(definition, ada), definition] },
  });

  // The police officer's e-MARF: returned by the supervisor once, then sent
  // and approved. The teacher's goes straight to the MASH.
  const pc = s['pc.jones'];
  const police = await eMarf(pc);
  records.forms.push(police);
  const sgt = s['sgt.patel'];
  await sgt.goto('/referrals/approvals', 'sgt.patel opens approvals');
  await sgt.submitForm(`form[action="${police}/return"]`, { label: 'sgt.patel returns the referral' });
  await pc.goto('/referrals', 'pc.jones sees the returned referral');
  await pc.goto(police, 'pc.jones opens the returned referral');
  await pc.submitForm(`form[action="${police}"]`, { label: 'pc.jones sends it again', button: 'Send referral' });
  await sgt.goto('/referrals/approvals', 'sgt.patel opens approvals again');
  await sgt.submitForm(`form[action="${police}/approve"]`, { label: 'sgt.patel approves the referral' });
  const fromPolice = await newestReferral(pc);
  records.forms.push(await eMarf(s['ed.teacher']));
  const fromSchool = await newestReferral(s['ed.teacher']);

  // The MASH records a contact by hand and works both through every form.
  const sam = s['sam.worker'];
  const maya = s['maya.manager'];
  await sam.goto('/contacts/new', 'sam.worker opens Record a contact');
  await sam.submitForm('form:has(textarea[name="concerns"])', { label: 'sam.worker records a contact' });
  const byHand = contactId(sam);
  records.contacts.push(byHand, fromPolice, fromSchool);
  await screenAndDecide(sam, byHand);
  await screenAndDecide(sam, fromPolice);
  await maya.goto(`/contacts/${byHand}`, 'maya.manager opens the contact');
  await maya.submitForm(`form[action="/contacts/${byHand}/send-back"]`, { label: 'maya.manager sends the decision back' });
  await sam.goto(`/contacts/${byHand}`, 'sam.worker reads the send-back');
  await sam.submitForm(`form[action="/contacts/${byHand}/decision"]`, { label: 'sam.worker decides again' });
  for (const id of [byHand, fromPolice]) {
    await maya.goto(`/contacts/${id}`, `maya.manager opens ${id}`);
    await maya.submitForm(`form[action="/contacts/${id}/sign-off"]`, { label: `maya.manager signs off ${id}` });
  }
  await sam.goto(`/contacts/${byHand}`, 'sam.worker reads the closed contact');
  await sam.screenshot('sam.worker-contact-with-payloads');

  // What only the JSON API takes: a person's other names, identifiers and
  // address, corrections with a reason, moves; a contact's agency name,
  // partner reference and adults' addresses.
  const person = await sam.apiHostile('POST', '/api/v1/people', {
    kind: 'child', given_name: '$', family_name: '$', date_of_birth: '2019-04-12', sex: '2',
    other_names: [{ given_name: '$', family_name: '$', kind: '$' }], ethnicity: '$',
    nhs_number: '$', upn: '$', la_child_id: '$', police_reference: '$', address: { line: '$', postcode: '%' },
  }, { label: 'sam.worker creates a person through the API', record: (p) => `person-${p.id}` });
  records.people.push(person.id);
  await sam.apiHostile('POST', `/api/v1/people/${person.id}/corrections`, {
    version: person.version, reason: '$',
    details: { kind: 'child', given_name: '$', family_name: '$', date_of_birth: '2019-04-12', other_names: [{ given_name: '$', family_name: '$', kind: 'alias' }], la_child_id: '$', police_reference: '$', address: { line: '$', postcode: 'DB4 7QT' } },
  }, { label: 'sam.worker corrects the person', record: () => `person-${person.id}`, replaces: true });
  const corrected = await sam.api('GET', `/api/v1/people/${person.id}`);
  const daysAgo = (n) => new Date(Date.now() - n * 86400000).toISOString().slice(0, 10);
  await sam.apiHostile('POST', `/api/v1/people/${person.id}/moves`, {
    version: corrected.json.version, line: '$', postcode: '%', from: daysAgo(200),
  }, { label: 'sam.worker records a move', record: () => `person-${person.id}-move` });
  const contact = {
    channel: 'email', source_code: '$', received_at: `${daysAgo(2)}T10:00:00Z`,
    referrer: { name: '$', role: '$', agency_name: '$', email: '$', phone: '$' },
    children: [{ given_name: '$', family_name: '$', date_of_birth: '2018-02-03', sex: '1' }],
    adults: [{ given_name: '$', family_name: '$', relationship: '$', address: '$' }],
    address_line: '$', postcode: '$', concerns: '$', child_views: '$', family_aware: 'yes', consent: 'given',
    consent_notes: '$', partner_reference: '$',
  };
  const byApi = await sam.apiHostile('POST', '/api/v1/contacts', contact, { label: 'sam.worker records a contact through the API', record: (c) => `contact-${c.id}` });
  const partnerContact = { ...contact, referrer: {} }; // a partner refers as themselves
  const byPartnerApi = await s['pat.probation'].apiHostile('POST', '/api/v1/contacts', partnerContact,
    { label: 'pat.probation refers through the API', record: (c) => `contact-${c.id}` });
  // Every SQL string of the corpus at least once, to be read back as typed,
  // with the long strings.
  const sql = {
    ...contact, source_code: '1A', postcode: 'DB4 7QT', family_aware: 'no',
    referrer: { name: '$sql', role: '$sql', agency_name: '$sql', email: 'sql@demo.example.org', phone: '01632 960 124' },
    children: [{ given_name: '$sql', family_name: '$sql', date_of_birth: '2017-06-07', sex: '2' }],
    adults: [{ given_name: '$sql', family_name: '$sql', relationship: '$sql', address: '$sql' }],
    address_line: '$sql', concerns: '$long', child_views: '$long', consent_notes: '$sql', partner_reference: '$sql',
  };
  const bySql = await sam.apiHostile('POST', '/api/v1/contacts', sql, { label: 'sam.worker records SQL and long strings', record: (c) => `contact-${c.id}` });
  records.contacts.push(byApi.id, byPartnerApi.id, bySql.id);
  for (const id of records.contacts) {
    const { json } = await sam.api('GET', `/api/v1/contacts/${id}`);
    for (const c of json?.details?.children || []) if (c.person_id) records.people.push(c.person_id);
  }

  // A manager finds the demo's child recorded twice, asks to compare with a
  // hostile record number, merges the two records and unmerges them, with
  // hostile reasons (shown in both records' chronologies).
  await maya.goto('/people/duplicates', 'maya.manager opens the duplicate-finder');
  const compare = await maya.page.locator('a[href*="/merge?with="]').first().getAttribute('href');
  const [, keptId, dupId] = compare.match(/^\/people\/(\d+)\/merge\?with=(\d+)$/);
  await maya.goto(`/people/${keptId}/merge`, 'maya.manager opens Merge with another record');
  await maya.submitForm('form[method="get"]:has(input[name="with"])', {
    label: 'maya.manager asks to compare with a hostile number', fallbacks: { with: dupId }, stores: false,
  });
  await maya.goto(compare, 'maya.manager compares the two records');
  await maya.submitForm(`form[method="post"][action="/people/${keptId}/merge"]`, {
    label: 'maya.manager merges the records', prefer: { keep: keptId },
  });
  await maya.goto(`/people/${dupId}`, 'maya.manager opens the merged record');
  await maya.submitForm(`form[action="/people/${dupId}/unmerge"]`, { label: 'maya.manager unmerges it' });
  records.people.push(Number(keptId), Number(dupId));

  // Last, so that the writes above meet the corpus as they always have.
  records.enquiry = fromSchool;
  records.checks = await enquiryWrites(s, fromSchool);
  const { json: school } = await sam.api('GET', `/api/v1/contacts/${fromSchool}`);
  for (const c of school?.details?.adults || []) if (c.person_id) records.people.push(c.person_id);
  return records;
}

// ------------------------------------------------------------ the reads
// The pages that show what was written, read by every user.
function pagesShowing(records) {
  const person = records.people[0];
  return [
    '/', '/queue', '/referrals', '/referrals/approvals', '/admin/thresholds', ...records.forms,
    ...records.contacts.map((id) => `/contacts/${id}`),
    ...records.people.map((id) => `/people/${id}`), `/people/${person}/viewers`,
    `/api/v1/contacts/${records.contacts[0]}`, `/api/v1/people/${person}`, `/api/v1/people/${person}/chronology`,
    '/checks', ...records.checks.map((c) => `/checks/${c.id}`), '/partnership', '/partnership?days=7',
    `/api/v1/contacts/${records.enquiry}/enquiry`, ...records.checks.map((c) => `/api/v1/checks/${c.id}`),
  ];
}

// Payloads in the address: query strings and paths the pages may echo.
function reflectedProbes(records) {
  const p = () => encodeURIComponent(world.ledger.next('in a URL').value.slice(0, 400));
  return [
    `/people?q=${p()}`, `/queue?page=${p()}`, `/contacts/${records.contacts[0]}?done=${p()}`, `/referrals?done=${p()}`,
    `/admin/thresholds?done=${p()}`, `/sign-in?next=${p()}`, `/people/${p()}`, `/${p()}`, `/contacts/${p()}/link`,
  ];
}

// What a user reading a check should get: the MASH reads them all, a partner
// only their own agency's (another agency's is exactly not found), and the
// others may not read checks at all.
function checkStatuses(username, agency) {
  if (MASH_ROLES.includes(username)) return [200];
  if (CHECK_READERS[username]) return [CHECK_READERS[username] === agency ? 200 : 404];
  return [403, 404];
}

// Every user reads every page that shows the payloads; a kind of page the
// user may not see (a partner and /contacts/{id}) is tried once, except a
// check, whose reader depends on its agency. Three users and an anonymous
// visitor also try payloads in the address.
async function readEverything(records) {
  const pages = pagesShowing(records);
  const checks = new Map(records.checks.flatMap((c) => [[`/checks/${c.id}`, c.agency], [`/api/v1/checks/${c.id}`, c.agency]]));
  for (const username of ROLES) {
    const s = await open(username, { strict: true });
    const refused = new Set();
    for (const page of pages) {
      const kind = page.replace(/\d+/g, '{id}');
      if (refused.has(kind)) continue;
      const status = await s.goto(page, `${username} reads ${page}`);
      if (checks.has(page)) {
        const expected = checkStatuses(username, checks.get(page));
        check(expected.includes(status), `${username} read ${page} (${checks.get(page)}) with HTTP ${status}, not ${expected.join(' or ')}`);
      } else if (status === 403 || status === 404) refused.add(kind);
    }
    if (['sam.worker', 'pc.jones', 'ada.admin'].includes(username)) {
      for (const page of reflectedProbes(records)) await s.goto(page, `${username} reads ${page.slice(0, 60)}`);
    }
    if (username === 'sam.worker') {
      await s.goto(`/people/${records.people[0]}`, 'sam.worker reads the API-made person');
      await s.screenshot('sam.worker-person-from-api');
      const search = await s.goto('/people', 'sam.worker opens Find a person');
      check(search === 200, `Find a person answered ${search}`);
      await s.submitForm('form[action="/people"]', { label: 'sam.worker searches with a payload', stores: false });
      await canaries(s, true);
    }
    if (username === 'ada.admin') {
      await s.goto('/admin/thresholds', 'ada.admin reads the hostile framework');
      await s.screenshot('ada.admin-hostile-framework');
    }
    await s.close();
  }
  const anonymous = await open(null, { strict: true });
  for (const page of reflectedProbes(records)) await anonymous.goto(page, `anonymous reads ${page.slice(0, 60)}`);
}

// The instruments themselves: markup put in the page by hand must be seen by
// the probe, blocked by the CSP (violation, no run) where it is in force,
// and reported running where it is bypassed.
async function canaries(s, strict) {
  const f = world.figures;
  const id = `canary-${strict ? 'strict' : 'csp'}`;
  const violationsBefore = f.violations.length;
  await s.page.evaluate((tag) => {
    document.body.insertAdjacentHTML('beforeend', `<img src="/x" onerror="window.__xss('${tag}')">`);
  }, id);
  const seen = () => (strict ? f.executions.some((e) => e.id === id)
    : f.violations.slice(violationsBefore).some((v) => v.directive.startsWith('script-src')));
  for (const deadline = Date.now() + 5000; !seen() && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 50));
  check(seen(), strict ? 'the hook did not report a script run by hand: the test could not see an XSS'
    : 'the browser reported no CSP violation for an inline handler: the CSP is not in force');
  await new Promise((r) => setTimeout(r, 200));
  check(!f.executions.some((e) => e.id === 'canary-csp'), 'an inline handler ran despite the CSP');
  f.canaryViolations += f.violations.splice(violationsBefore).length;
  const { problems } = await s.page.evaluate(pageProbe);
  check(problems.some((p) => p.includes('onerror')), 'the page probe did not see an event handler put in by hand');
  await s.page.reload();
}

// What the server answers on its own, before any route (a request it cannot
// parse, a body or header too large) carries the same headers.
async function serverOwnResponses() {
  const { hostname, port } = new URL(world.base);
  const raw = (request) => new Promise((resolve) => {
    let data = '';
    const socket = net.connect(Number(port), hostname, () => socket.write(request));
    socket.setTimeout(10000, () => socket.destroy());
    socket.on('data', (chunk) => { data += chunk; });
    socket.on('error', () => {});
    socket.on('close', () => resolve(data));
  });
  const f = world.figures;
  for (const [what, request] of [
    ['a request line it cannot parse', 'NOT HTTP AT ALL\r\n\r\n'],
    ['a malformed percent-encoding', 'GET /people/%zz%3Cscript%3E HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
    ['a body too large', 'POST /sign-in HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 99999999\r\nConnection: close\r\n\r\nusername=a'],
    ['headers too large', `GET / HTTP/1.1\r\nHost: x\r\nX-Filler: ${'a'.repeat(70000)}\r\nConnection: close\r\n\r\n`],
  ]) {
    const answer = await raw(request);
    const [head] = answer.split('\r\n\r\n');
    const lines = head.split('\r\n');
    check(/^HTTP\/1\.1 \d{3}/.test(lines[0]), `the server gave no HTTP answer to ${what}: ${JSON.stringify(answer.slice(0, 200))}`);
    const headers = Object.fromEntries(lines.slice(1).map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
    f.responses += 1;
    if (headers['content-security-policy']) f.responsesWithCsp += 1;
    else f.cspFailures.push(`${lines[0]} to ${what}: no Content-Security-Policy`);
    if ((headers['content-type'] || '').startsWith('text/html')) {
      f.htmlResponses += 1;
      const problems = cspProblems(headers['content-security-policy']);
      if (problems.length === 0) f.htmlWithCsp += 1;
      else f.cspFailures.push(`${lines[0]} to ${what}: ${problems.join('; ')}`);
    }
    world.writes.push(`server's own answer to ${what}: ${lines[0]}`);
  }
}

// Every string the API reads back, to tell stored-verbatim values apart.
async function storedStrings(s, records) {
  const strings = new Set();
  const collect = (node) => {
    if (typeof node === 'string') strings.add(node);
    else if (node && typeof node === 'object') Object.values(node).forEach(collect);
  };
  const reads = [...records.contacts.map((id) => `/api/v1/contacts/${id}`), '/api/v1/threshold-framework',
    ...records.people.flatMap((id) => [`/api/v1/people/${id}`, `/api/v1/people/${id}/chronology`]),
    `/api/v1/contacts/${records.enquiry}/enquiry`, ...records.checks.map((c) => `/api/v1/checks/${c.id}`)];
  for (const read of reads) {
    const { status, json } = await s.api('GET', read);
    check(status === 200, `GET ${read} answered ${status} after the hostile writes: the store is harmed`);
    collect(json);
  }
  return strings;
}

// ------------------------------------------------------------ main
async function main() {
  check(binary && existsSync(binary), `usage: node e2e/xss.mjs PATH/TO/frontdoor (or set FRONTDOOR_BIN); got "${binary}"`);
  mkdirSync(artifacts, { recursive: true });
  for (const f of readdirSync(artifacts)) if (/\.(png|log)$/.test(f)) rmSync(path.join(artifacts, f));
  ensureAssets(log);
  const chromium = await loadChromium();
  const processes = new Processes(artifacts);
  world.processes = processes;
  const started = Date.now();
  // The header check itself refuses what it is there to refuse.
  for (const bad of [undefined, "default-src 'self'; script-src 'self' 'unsafe-inline'; base-uri 'none'", "img-src 'self'; base-uri 'none'"]) {
    check(cspProblems(bad).length > 0, `cspProblems() found nothing wrong with ${bad}`);
  }

  // A small demo council (the full one takes half a minute to generate);
  // `serve --demo` then finds its users and prints the log-ins.
  const demo = spawnSync(binary, ['demo', '--data', dataDir, '--families', '25', '--weeks', '1', '--contacts-per-day', '4'],
    { cwd: root, encoding: 'utf8' });
  check(demo.status === 0, `frontdoor demo failed:\n${demo.stdout}${demo.stderr}`);
  world.base = await startServer(processes, binary, ['--port', '0', '--data', dataDir, '--demo']);
  log(`frontdoor on ${world.base} (${demo.stdout.trim()}; ${Math.round((Date.now() - started) / 1000)} s)`);
  world.browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });

  const s = {};
  for (const username of ROLES) s[username] = await open(username);
  const queueBefore = (await s['sam.worker'].api('GET', '/api/v1/queue')).json.items.length;
  let crawled = 0;
  for (const username of ROLES) crawled += await crawl(s[username]);
  log(`crawled ${crawled} pages as ${ROLES.length} users: ${world.figures.formsFound.size} kinds of form (${Math.round((Date.now() - started) / 1000)} s)`);
  await canaries(s['sam.worker'], false);

  const records = await hostileWrites(s, await open(null));
  log(`hostile writes done: ${world.figures.payloadsSubmitted} payloads sent (${Math.round((Date.now() - started) / 1000)} s)`);
  await readEverything(records);
  log(`pages read: ${world.figures.pagesChecked} (${Math.round((Date.now() - started) / 1000)} s)`);

  // The store is unharmed: it answers, keeps every contact, and nobody's
  // role changed.
  await serverOwnResponses();
  const stored = await storedStrings(s['sam.worker'], records);
  const queueAfter = (await s['sam.worker'].api('GET', '/api/v1/queue')).json.items.length;
  check(queueAfter >= queueBefore, `the queue had ${queueBefore} contacts and now has ${queueAfter}`);
  const refused = await s['pc.jones'].goto('/queue', 'pc.jones tries the queue');
  check(refused === 404 || refused === 403, `pc.jones opened the MASH queue (HTTP ${refused}) after the SQL payloads: a role changed`);
  await new Promise((r) => setTimeout(r, 500)); // late handlers (autofocus, animations)
  await Promise.all(world.pending);
  world.assertNoExecutions('the end');
  verdict(stored, crawled, started);
}

function verdict(stored, crawled, started) {
  const f = world.figures;
  const { ledger } = world;
  const texts = [...world.pageTexts];
  const expected = [...ledger.expected.values()];
  const shown = expected.filter((use) => shownForms(use.value).some((v) => texts.some((t) => t.includes(v))));
  const verbatim = expected.filter((use) => stored.has(use.value));
  const lost = expected.filter((use) => !shown.includes(use) && !verbatim.includes(use));
  writeFileSync(path.join(artifacts, 'writes.txt'), `${world.writes.join('\n')}\n`);
  writeFileSync(path.join(artifacts, 'forms.txt'), [...f.formsFound].map(([key, v]) =>
    `${key} [${[...v.textFields].join(' ')}] seen by ${[...v.seenBy].join(', ')}${f.formsSubmitted.has(key) ? '; sent the corpus' : ''}`).join('\n'));
  writeFileSync(path.join(artifacts, 'values.txt'), expected.map((u) =>
    `${shown.includes(u) ? 'shown' : '-----'} ${verbatim.includes(u) ? 'verbatim' : '--------'} ${ledger.where(u.id)}`).join('\n'));
  check(lost.length === 0, `${lost.length} accepted values were neither shown as text on any page nor read back verbatim:\n  ${
    lost.slice(0, 12).map((u) => ledger.where(u.id)).join('\n  ')}`);
  // Every SQL string of the corpus was stored, and read back exactly as sent.
  const sql = expected.filter((u) => u.category === 'sql');
  const sqlVerbatim = sql.filter((u) => stored.has(u.value));
  const sqlLines = new Set(ledger.corpus.filter((e) => e.category === 'sql').map((e) => e.template));
  const sqlStoredLines = new Set(sqlVerbatim.map((u) => ledger.uses.get(u.id).template));
  check(sql.length > 0 && sqlVerbatim.length === sql.length && sqlStoredLines.size === sqlLines.size,
    `SQL strings read back verbatim: ${sqlVerbatim.length} of ${sql.length} stored, covering ${sqlStoredLines.size} of the corpus's ${sqlLines.size}`);
  check(f.cspFailures.length === 0, `responses without a sound Content-Security-Policy:\n  ${f.cspFailures.slice(0, 12).join('\n  ')}`);
  const withText = [...f.formsFound].filter(([, v]) => v.textFields.size > 0);
  const missed = withText.filter(([key]) => !f.formsSubmitted.has(key));
  check(missed.length === 0, `forms found but never sent the corpus: ${missed.map(([k, v]) => `${k} (on ${v.example})`).join(', ')}`);
  const categories = new Set(ledger.corpus.map((e) => e.category));
  const storedCategories = new Set(expected.map((u) => u.category));
  check(storedCategories.size === categories.size, `no payload of ${[...categories].filter((c) => !storedCategories.has(c)).join(', ')} was accepted and stored`);
  const seconds = Math.round((Date.now() - started) / 1000);
  const summary = [
    `xss (browser): ${ROLES.length} demo users and an anonymous visitor, Chromium ${world.browser.version()}, ${seconds} s`,
    `  corpus: ${ledger.corpus.length} payloads in ${categories.size} categories (e2e/hostile-inputs.txt)`,
    `  forms found: ${f.formsFound.size} kinds (${withText.length} with text fields), every one sent the corpus`,
    `  fields filled: ${f.fieldsFilled.size} distinct text fields; payloads submitted: ${f.payloadsSubmitted} (${f.apiPayloads} through the JSON API)`,
    `  values accepted and stored: ${expected.length}; shown as text: ${shown.length}; read back verbatim: ${verbatim.length}; SQL strings read back verbatim: ${sqlVerbatim.length}/${sql.length} (all ${sqlLines.size} in the corpus)`,
    `  refused by validation (shown back, then replaced by a valid value): ${[...f.refusedByCategory].map(([c, n]) => `${c} ${n}`).join(', ')}`,
    `  pages checked: ${f.pagesChecked} loads of ${f.urlsChecked.size} paths (${crawled} by crawling), with the CSP in force and bypassed`,
    `  executions: ${f.executions.filter((e) => !String(e.id).startsWith('canary')).length}; elements built from payloads: 0; CSP violations reported (blocked): ${f.violations.length} (and ${f.canaryViolations} from the test's own canary)`,
    `  CSP headers present on ${f.htmlWithCsp}/${f.htmlResponses} HTML responses (script-src without 'unsafe-inline'), on ${f.responsesWithCsp}/${f.responses} responses in all`,
  ].join('\n');
  log(`PASS\n${summary}`);
  writeFileSync(path.join(artifacts, 'summary.txt'), `${summary}\n`);
  if (process.env.FRONTDOOR_BATTERY_SUMMARY_DIR) {
    mkdirSync(process.env.FRONTDOOR_BATTERY_SUMMARY_DIR, { recursive: true });
    writeFileSync(path.join(process.env.FRONTDOOR_BATTERY_SUMMARY_DIR, 'xss.txt'), `${summary}\n`);
  }
}

async function cleanUp() {
  for (const s of sessions.splice(0)) await s.close();
  if (world.browser) await world.browser.close().catch(() => {});
  world.browser = null;
  if (world.processes) await world.processes.stopAll();
  if (!process.env.E2E_KEEP) rmSync(work, { recursive: true, force: true });
  else log(`kept ${work}`);
}

await run({
  name: 'xss',
  main,
  cleanUp,
  artifacts,
  limitSeconds: 480,
  onFailure: async () => {
    const last = world.current;
    if (last) await last.page.screenshot({ path: path.join(artifacts, 'failure.png'), fullPage: true });
  },
});
