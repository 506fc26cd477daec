#!/usr/bin/env node
// The front door end to end, in real Chromium (issue #2, "Done when"):
//
//   Saturday 28 November 2026, 02:10 (London): a police officer sends an
//   e-MARF about two siblings (with a supervisor's approval first, if the
//   police agency requires it). Monday 30 November 2026, 09:30: a MASH social
//   worker finds it in the queue, links both children to new person records,
//   rates it red and checks the decision deadline on the working-day clock,
//   and records a decision; the manager sends it back once, the worker decides
//   again, and the manager signs it off with a case direction. The officer
//   sees the outcome on "Your referrals" and receives the outcome e-mail
//   (through a real SMTP listener on loopback), which holds nothing beyond
//   what may be shared. The child's chronology shows it all, in order, with
//   who did it.
//
//   Then (issue #4): a social worker types a short name, a misspelt family
//   name and a day/month-swapped date of birth into the contact form and is
//   offered the right child first, with why; a manager finds a child recorded
//   twice with the duplicate-finder, merges the records, unmerges them, and
//   reads both histories and the audit.
//
//   Then (issue #3, the MASH enquiry): a police system posts a public
//   protection notice about a child and two adults through the API (twice:
//   one contact). A manager agrees checks without consent, with the lawful
//   basis and her reason; the social worker asks police, health and
//   education. The health practitioner sees only what was shared, answers
//   and asks the GP; the police answer arrives through the API; the decision
//   is refused while checks are out, education answers, the manager records
//   why the decision cannot wait for the GP, and the social worker decides,
//   naming the answers relied on. The child's chronology shows all of it; a
//   partner cannot open another agency's check; the manager reads the
//   partnership's figures.
//
// Every page visited is checked with axe-core (WCAG 2.0, 2.1 and 2.2, A and
// AA: any violation fails the run) and saved as a full-page screenshot.
//
//   node e2e/journey.mjs [path/to/frontdoor]        (or FRONTDOOR_BIN)
//
// Environment: E2E_ARTIFACTS (screenshots and logs; default
// build/e2e-artifacts), E2E_KEEP=1 keeps the temporary data folder,
// E2E_TIMEOUT (seconds, default 600) bounds the whole run.
// Time is moved with `frontdoor serve --clock-file`: the server's clock is the
// instant in that file plus the real time since the file was written.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
  CHROMIUM,
  CHROMIUM_ARGS,
  PASSWORD,
  Processes,
  check,
  ensureAssets,
  fail,
  firstLine,
  loadChromium,
  logger,
  root,
  run,
  slug,
  squash,
  startServer,
} from './lib/harness.mjs';

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

// ------------------------------------------------------------ the scenario
// Synthetic people only.
const CHILDREN = [
  { given: 'Maisie', family: 'Thornbury', dob: [12, 4, 2019], sex: '2', sexLabel: 'Female' },
  { given: 'Reuben', family: 'Thornbury', dob: [3, 9, 2021], sex: '1', sexLabel: 'Male' },
];
const ADULTS = [
  { given: 'Chantelle', family: 'Thornbury', relationship: 'Mother' },
  { given: 'Dean', family: 'Marsh', relationship: "Mother's partner" },
];
const ADDRESS = '14 Larkspur Close, Demo Town';
const POSTCODE = 'DB4 7QT';
const CONCERNS =
  'Officers attended a domestic abuse incident at the family home at 01:25. Dean Marsh, the ' +
  "mother's partner, assaulted Chantelle Thornbury in the kitchen while both children were in " +
  'the house. Maisie has a small cut to her hand from broken glass. Dean Marsh was arrested. ' +
  'DASH risk assessment: high.';
const CHILD_VIEWS =
  "Maisie told officers she hid in her bedroom with Reuben and that it 'happens a lot when " +
  "Dean has been drinking'.";
const CONSENT_NOTES = 'Consent not sought: police safeguarding duty. Mother told we would refer.';
const SCREEN_RATIONALE =
  'High-risk domestic abuse with both children present and an injury to Maisie.';
const FIRST_DECISION = {
  outcome: 'referral_to_social_care',
  outcomeLabel: "Referral to children's social care for assessment",
  level: '3',
  indicators: ['3.3'],
  rationale: 'Domestic abuse in the household; the family will need a multi-agency assessment.',
  nextSteps: 'Pass to the assessment team to allocate a social worker by Wednesday.',
};
const SEND_BACK_REASON =
  'The DASH assessment is high risk and Maisie was injured: consider level 4 and a strategy ' +
  'discussion.';
const SECOND_DECISION = {
  outcome: 'strategy_discussion',
  outcomeLabel: 'Strategy discussion',
  level: '4',
  indicators: ['4.2', '4.4'],
  rationale:
    'High-risk domestic abuse (MARAC level) with both children in the household and an ' +
    'injury to Maisie: the threshold for a section 47 strategy discussion is met.',
  nextSteps: 'Strategy discussion with police and health today at 2pm; MARAC referral.',
};
const CASE_DIRECTION =
  'Agreed. Convene the strategy discussion today with police and health; the assessment ' +
  'team to attend.';

// The decision deadlines, worked out from the default policy
// (domain/rag.hpp RagPolicy::default_decision_policy: red 4 working hours,
// amber 1 working day, green 3 working days), working hours 9am to 5pm London
// (domain/working_day_calendar.hpp WorkingHours) and the England and Wales
// calendar (Monday 30 November 2026 is a working day: St Andrew's Day is a
// bank holiday in Scotland only). Received Saturday 02:10:
// - red, 4 working hours: outside working hours the clock starts at the next
//   opening, Monday 9am, so it is due Monday 1pm;
// - amber, 1 working day (the provisional rating until screening, see
//   app/contacts.hpp ContactPolicies::provisional): the day of receipt is
//   day 0, the first working day after Saturday is Monday, due at its close,
//   5pm.
const DUE_PROVISIONAL = { text: 'Mon 30 Nov 2026, 5pm', iso: '2026-11-30T17:00:00Z' };
const DUE_RED = { text: 'Mon 30 Nov 2026, 1pm', iso: '2026-11-30T13:00:00Z' };

// ------------------------------------------------------------ plumbing
const log = logger('journey');

const binary = path.resolve(process.argv[2] || process.env.FRONTDOOR_BIN || '');
const artifacts = path.resolve(
  root,
  process.env.E2E_ARTIFACTS || path.join('build', 'e2e-artifacts'),
);
const work = mkdtempSync(path.join(tmpdir(), 'frontdoor-e2e-'));
const dataDir = path.join(work, 'data');
const clockFile = path.join(work, 'clock');
const mailFile = path.join(work, 'mail.jsonl');
const profileDir = path.join(work, 'chromium-profile');

let processes = null; // started in main(), once the artifacts folder exists
let context = null;

// The server's clock: what is in the file plus real time since it was written.
let clockSetting = null;
function setClock(iso) {
  const tmp = `${clockFile}.tmp`;
  writeFileSync(tmp, `${iso}\n`);
  renameSync(tmp, clockFile);
  clockSetting = { instant: Date.parse(iso), at: Date.now() };
  log(`clock set to ${iso}`);
}
function serverNow() {
  return clockSetting.instant + (Date.now() - clockSetting.at);
}

// As the pages word it (web/pages_common.cpp describe_duration): whole
// minutes, truncated.
function describeDuration(ms) {
  const total = Math.floor(ms / 60000);
  const days = Math.floor(total / 1440);
  const hours = Math.floor(total / 60) % 24;
  const minutes = total % 60;
  const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (days > 0) return hours > 0 ? `${plural(days, 'day')} ${plural(hours, 'hour')}` : plural(days, 'day');
  if (hours > 0) return minutes > 0 ? `${plural(hours, 'hour')} ${plural(minutes, 'minute')}` : plural(hours, 'hour');
  if (minutes > 0) return plural(minutes, 'minute');
  return 'less than a minute';
}
// The "Due in ..." texts the page may show for a deadline, allowing for a
// minute passing between the server rendering the page and us reading it.
function dueInTexts(dueIso) {
  const due = Date.parse(dueIso);
  const now = serverNow();
  return [now - 60000, now, now + 60000]
    .filter((t) => t < due)
    .map((t) => `Due in ${describeDuration(due - t)}`);
}

async function readMail(predicate, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const messages = existsSync(mailFile)
      ? readFileSync(mailFile, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line))
      : [];
    const found = messages.filter(predicate);
    if (found.length > 0 || Date.now() > deadline) return { found, all: messages };
    await new Promise((r) => setTimeout(r, 250));
  }
}

// ------------------------------------------------------------ the browser
let page = null;
let stepNumber = 0;
let navigations = 0;
let lastStatus = 0;
const pageErrors = [];
const axeWarnings = new Map(); // best-practice findings: reported, not failed
const axePath = path.join(root, 'node_modules', 'axe-core', 'axe.min.js');

// Every page the journey reaches comes through here: status, axe, screenshot.
async function visited(label, { status = 200 } = {}) {
  await page.waitForLoadState('load');
  stepNumber += 1;
  const name = `${String(stepNumber).padStart(2, '0')}-${slug(label)}`;
  const url = new URL(page.url());
  log(`${name}: ${url.pathname}${url.search}`);
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
  check(
    lastStatus === status,
    `${label}: expected HTTP ${status} for ${url.pathname} but got ${lastStatus}:\n` +
      `${squash(await page.locator('body').innerText()).slice(0, 600)}`,
  );
  check(pageErrors.length === 0, `${label}: JavaScript errors on the page: ${pageErrors.join('; ')}`);
  const title = await page.title();
  check(title.length > 0, `${label}: the page has no title`);

  await page.addScriptTag({ path: axePath });
  const results = await page.evaluate(async (tags) => {
    const run = (values) =>
      window.axe.run(document, { runOnly: { type: 'tag', values }, resultTypes: ['violations'] });
    const wcag = await run(tags);
    const best = await run(['best-practice']);
    const summarise = (v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
    });
    return { wcag: wcag.violations.map(summarise), best: best.violations.map(summarise) };
  }, WCAG_TAGS);
  for (const v of results.best) {
    const key = `${v.id} on ${url.pathname.replace(/\d+/g, 'N')}`;
    if (!axeWarnings.has(key)) axeWarnings.set(key, `${v.help} (${v.nodes.map((n) => n.target).join(', ')})`);
  }
  if (results.wcag.length > 0) {
    const details = results.wcag
      .map(
        (v) =>
          `  ${v.id} [${v.impact}] ${v.help}\n    ${v.helpUrl}\n` +
          v.nodes.map((n) => `    - ${n.target}\n      ${n.summary.replace(/\n/g, '\n      ')}`).join('\n'),
      )
      .join('\n');
    fail(`${label}: axe-core found ${results.wcag.length} WCAG violation(s) on ${url.pathname}` +
      ` (screenshot ${name}.png):\n${details}`);
  }
  return name;
}

async function mainText() {
  return squash(await page.locator('main').innerText());
}

async function expectText(label, ...needles) {
  const text = await mainText();
  for (const needle of needles) {
    check(text.includes(needle), `${label}: the page does not say "${needle}". It says:\n${text.slice(0, 1500)}`);
  }
  return text;
}

// Clicks something that loads a new page and waits for it.
async function go(locator, label, options) {
  const before = navigations;
  await locator.click();
  const deadline = Date.now() + 30000;
  while (navigations === before) {
    check(Date.now() < deadline, `${label}: clicking did not load a page`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return visited(label, options);
}

async function open(pathname, label, options) {
  const response = await page.goto(new URL(pathname, baseUrl).toString());
  check(response !== null, `${label}: no response for ${pathname}`);
  return visited(label, options);
}

let baseUrl = '';

async function signIn(username, who) {
  await open('/', `${username} opens Frontdoor`);
  check(new URL(page.url()).pathname === '/sign-in', `${username}: expected the sign-in page first`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await go(page.getByRole('button', { name: 'Sign in' }), `${username} signed in`);
  await expectText(`${username} home`, who);
  const header = squash(await page.locator('body').innerText());
  check(header.includes(`Signed in as ${who}`), `${username}: the page does not say "Signed in as ${who}"`);
}

async function signOut(username) {
  await go(page.getByRole('button', { name: 'Sign out' }), `${username} signed out`);
  check(new URL(page.url()).pathname === '/sign-in', `${username}: signing out did not return to sign-in`);
}

async function contactIdFromUrl() {
  const m = new URL(page.url()).pathname.match(/^\/contacts\/(\d+)$/);
  check(m, `expected a contact page, not ${page.url()}`);
  return m[1];
}

async function openContactFromQueue(actor, expectDue) {
  await go(page.getByRole('link', { name: 'MASH queue' }).first(), `${actor} opens the MASH queue`);
  const rows = page.locator('table tbody tr', { hasText: `${CHILDREN[0].given} ${CHILDREN[0].family}` });
  check((await rows.count()) === 1, `${actor}: expected one queue row about ${CHILDREN[0].given}, found ${await rows.count()}`);
  const row = squash(await rows.first().innerText());
  check(row.includes(reference), `${actor}: the queue row does not show ${reference}: ${row}`);
  check(row.includes(`${CHILDREN[1].given} ${CHILDREN[1].family}`), `${actor}: the queue row does not name both children: ${row}`);
  check(row.includes(expectDue), `${actor}: the queue row does not show the deadline ${expectDue}: ${row}`);
  await go(rows.first().getByRole('link', { name: reference }), `${actor} opens ${reference}`);
}

async function recordDecision(actor, d) {
  const form = page.locator('form[action$="/decision"]');
  check((await form.count()) === 1, `${actor}: there is no decision form`);
  await form.locator(`input[name="outcome"][value="${d.outcome}"]`).check();
  await form.locator(`input[name="level"][value="${d.level}"]`).check();
  for (const code of d.indicators) await form.locator(`input[name="indicators"][value="${code}"]`).check();
  await form.getByLabel('Rationale').fill(d.rationale);
  await form.getByLabel('Next steps').fill(d.nextSteps);
  await go(form.getByRole('button', { name: 'Send for sign-off' }), `${actor} sends the decision for sign-off`);
  await expectText(`${actor} decision`, 'Decision recorded and sent to a manager for sign-off', d.outcomeLabel,
    d.rationale, d.nextSteps, 'Awaiting manager sign-off');
}

let reference = '';

// ------------------------------------------------------------ the journey
async function journey(chromium) {
  // Saturday, 02:10 in London (GMT in November, so the same as UTC).
  const received = '2026-11-28T02:10:00Z';
  const receivedText = 'Sat 28 Nov 2026, 2:10am';

  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
    locale: 'en-GB',
    timezoneId: 'Europe/London',
    // axe-core is injected as an inline script, which the pages' CSP forbids.
    bypassCSP: true,
  });
  page = context.pages()[0] || (await context.newPage());
  page.setDefaultTimeout(30000);
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) navigations += 1;
  });
  page.on('response', (response) => {
    if (response.request().isNavigationRequest() && response.frame() === page.mainFrame()) {
      lastStatus = response.status();
    }
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));

  const css = await page.request.get(new URL('/assets/application.css', baseUrl).toString());
  check(css.status() === 200, `the stylesheet /assets/application.css is not served (HTTP ${css.status()})`);

  // ---- Saturday night: the police officer.
  setClock('2026-11-28T02:02:00Z');
  await signIn('pc.jones', 'PC Rhys Jones');
  await go(page.getByRole('link', { name: 'Your referrals' }).first(), 'pc.jones opens Your referrals');
  await go(page.getByRole('button', { name: 'Make a new referral' }), 'pc.jones starts an e-MARF');
  check(/^\/referrals\/\d+$/.test(new URL(page.url()).pathname), `the e-MARF is not at /referrals/N: ${page.url()}`);
  const formText = await expectText('e-MARF', 'Tell us about a concern for a child', 'What level of need is this?');
  const needsApproval = formText.includes('Your agency asks a supervisor to approve referrals');
  log(needsApproval ? 'the police agency requires supervisor approval' : 'the police agency sends referrals straight to the MASH');

  await page.getByLabel('Your role').fill('Response officer');
  await page.getByLabel('Phone number the MASH can call you on').fill('01632 960 481');
  const fillChild = async (n) => {
    const c = CHILDREN[n - 1];
    const p = `child${n}_`;
    await page.locator(`input[name="${p}given_name"]`).fill(c.given);
    await page.locator(`input[name="${p}family_name"]`).fill(c.family);
    await page.locator(`input[name="${p}dob-day"]`).fill(String(c.dob[0]));
    await page.locator(`input[name="${p}dob-month"]`).fill(String(c.dob[1]));
    await page.locator(`input[name="${p}dob-year"]`).fill(String(c.dob[2]));
    await page.locator(`input[name="${p}sex"][value="${c.sex}"]`).check();
  };
  const fillAdult = async (n) => {
    const a = ADULTS[n - 1];
    const p = `adult${n}_`;
    await page.locator(`input[name="${p}given_name"]`).fill(a.given);
    await page.locator(`input[name="${p}family_name"]`).fill(a.family);
    await page.locator(`input[name="${p}relationship"]`).fill(a.relationship);
  };
  await fillChild(1);
  await go(page.getByRole('button', { name: 'Add another child' }), 'pc.jones adds a second child');
  check(
    (await page.locator('input[name="child1_given_name"]').inputValue()) === CHILDREN[0].given,
    'adding a child lost the first child\'s name',
  );
  await fillChild(2);
  await fillAdult(1);
  await go(page.getByRole('button', { name: 'Add another adult' }), 'pc.jones adds a second adult');
  await fillAdult(2);
  await page.getByLabel('Address', { exact: true }).fill(ADDRESS);
  await page.getByLabel('Postcode').fill(POSTCODE);
  await page.getByLabel('What are you worried about?').fill(CONCERNS);
  await page.getByLabel('What does the child say?').fill(CHILD_VIEWS);
  await page.locator('input[name="family_aware"][value="yes"]').check();
  await page.locator('input[name="consent"][value="not_sought"]').check();
  await page.getByLabel('Anything more about consent (optional)').fill(CONSENT_NOTES);
  await go(page.getByRole('button', { name: 'Save as draft' }), 'pc.jones saves a draft');
  await expectText('draft saved', 'Draft saved');
  check(
    (await page.locator('input[name="child2_given_name"]').inputValue()) === CHILDREN[1].given &&
      (await page.locator('input[name="adult2_family_name"]').inputValue()) === ADULTS[1].family,
    'the saved draft lost the second child or adult',
  );

  let receivedIso = received;
  let receivedShown = receivedText;
  setClock(received);
  await go(page.getByRole('button', { name: 'Send referral' }), 'pc.jones sends the referral');
  check(new URL(page.url()).pathname === '/referrals', `sending did not return to Your referrals: ${page.url()}`);
  await expectText('sent', 'Referral sent');

  if (needsApproval) {
    await expectText('waiting', 'Waiting for approval');
    await signOut('pc.jones');
    // The supervisor approves it: only now does it reach the MASH.
    receivedIso = '2026-11-28T02:40:00Z';
    receivedShown = 'Sat 28 Nov 2026, 2:40am';
    setClock(receivedIso);
    await signIn('sgt.patel', 'Sergeant Nisha Patel');
    await go(page.getByRole('link', { name: 'Referrals awaiting your approval' }).first(), 'sgt.patel opens approvals');
    await expectText('approvals', `${CHILDREN[0].given} ${CHILDREN[0].family}`, CONCERNS);
    const card = page.locator('form[action$="/approve"]').first();
    await go(card.getByRole('button', { name: /Approve and send to the MASH/ }), 'sgt.patel approves');
    await expectText('approved', 'Referral approved and sent to the MASH');
    await signOut('sgt.patel');
    await signIn('pc.jones', 'PC Rhys Jones');
    await go(page.getByRole('link', { name: 'Your referrals' }).first(), 'pc.jones checks the referral went');
  }
  const sentRow = page.locator('table tbody tr', { hasText: CHILDREN[0].given });
  check((await sentRow.count()) === 1, 'Your referrals does not list the referral under "Sent to the MASH"');
  const sentText = squash(await sentRow.innerText());
  reference = (sentText.match(/MASH-\d{6}/) || [''])[0];
  check(reference, `no MASH reference on the sent referral: ${sentText}`);
  check(sentText.includes(`${CHILDREN[0].given} ${CHILDREN[0].family}, ${CHILDREN[1].given} ${CHILDREN[1].family}`),
    `the sent referral does not name both children: ${sentText}`);
  check(sentText.includes(receivedShown), `the sent referral does not show when it was received (${receivedShown}): ${sentText}`);
  check(sentText.includes('With the MASH'), `the sent referral is not shown as with the MASH: ${sentText}`);
  log(`referral ${reference} sent`);
  await signOut('pc.jones');

  // ---- Monday morning: the MASH social worker screens it.
  setClock('2026-11-30T09:30:00Z');
  await signIn('sam.worker', 'Sam Okafor');
  await openContactFromQueue('sam.worker', DUE_PROVISIONAL.text);
  await contactIdFromUrl();
  let text = await expectText('contact', `Contact ${reference}`, 'PC Rhys Jones', 'Response officer', 'Demo Constabulary',
    'pc.jones@demo.example.org', receivedShown, 'Online referral form (e-MARF)', 'Awaiting screening', CONCERNS, CHILD_VIEWS,
    `Decision due by ${DUE_PROVISIONAL.text}`, 'This deadline is provisional until the contact is screened.');
  check(dueInTexts(DUE_PROVISIONAL.iso).some((t) => text.includes(`${DUE_PROVISIONAL.text} (${t})`)),
    `the provisional deadline does not show the time remaining (${dueInTexts(DUE_PROVISIONAL.iso).join(' or ')}): ${text}`);

  for (let i = 0; i < CHILDREN.length; i += 1) {
    const c = CHILDREN[i];
    const form = page.locator(`form[action$="/link"]:has(input[name="child_index"][value="${i}"])`);
    check((await form.count()) === 1, `no link form for ${c.given}`);
    await form.locator('input[name="person_id"][value="new"]').check();
    await go(form.getByRole('button', { name: 'Link to person record' }), `sam.worker creates a record for ${c.given}`);
    await expectText(`linked ${c.given}`, 'Child linked to a person record', `View the record for ${c.given} ${c.family}`);
  }
  text = await expectText('history', 'History', 'Open case No', 'Previous contacts 0', 'Re-referral within 12 months No');

  const screen = page.locator('form[action$="/screen"]');
  await screen.locator('input[name="rag"][value="red"]').check();
  await screen.getByLabel('Why this rating?').fill(SCREEN_RATIONALE);
  await go(screen.getByRole('button', { name: 'Save screening' }), 'sam.worker rates it red');
  text = await expectText('screened', 'Contact screened', 'RAG rating Red', SCREEN_RATIONALE, 'Screened by Sam Okafor',
    `Decision due by ${DUE_RED.text}`);
  check(!text.includes('provisional'), 'the deadline is still called provisional after screening');
  check(dueInTexts(DUE_RED.iso).some((t) => text.includes(`Decision due by ${DUE_RED.text} (${t}).`)),
    `the red deadline does not show the time remaining (${dueInTexts(DUE_RED.iso).join(' or ')}): ${text}`);

  setClock('2026-11-30T09:50:00Z');
  await page.reload();
  await visited('sam.worker reads the contact again before deciding');
  await recordDecision('sam.worker', FIRST_DECISION);
  await signOut('sam.worker');

  // ---- The manager sends it back once.
  setClock('2026-11-30T10:05:00Z');
  await signIn('maya.manager', 'Maya Lindqvist');
  await openContactFromQueue('maya.manager', DUE_RED.text);
  await expectText('manager reads', FIRST_DECISION.rationale, 'Proposed by Sam Okafor', 'Sign off the decision');
  const sendBack = page.locator('form[action$="/send-back"]');
  await sendBack.getByLabel('Why are you sending it back?').fill(SEND_BACK_REASON);
  await go(sendBack.getByRole('button', { name: 'Send back' }), 'maya.manager sends the decision back');
  await expectText('sent back', 'Decision sent back to the social worker', 'Sent back by Maya Lindqvist', SEND_BACK_REASON,
    'Awaiting decision');
  await signOut('maya.manager');

  // ---- The social worker decides again.
  setClock('2026-11-30T10:20:00Z');
  await signIn('sam.worker', 'Sam Okafor');
  await openContactFromQueue('sam.worker', DUE_RED.text);
  await expectText('worker reads the send-back', 'Sent back by Maya Lindqvist', SEND_BACK_REASON);
  await recordDecision('sam.worker', SECOND_DECISION);
  await signOut('sam.worker');

  // ---- The manager signs it off with a case direction.
  setClock('2026-11-30T10:35:00Z');
  await signIn('maya.manager', 'Maya Lindqvist');
  await openContactFromQueue('maya.manager', DUE_RED.text);
  const signOff = page.locator('form[action$="/sign-off"]');
  await signOff.getByLabel('Case direction').fill(CASE_DIRECTION);
  await go(signOff.getByRole('button', { name: 'Sign off decision' }), 'maya.manager signs off the decision');
  text = await expectText('signed off', 'Decision signed off. The referrer has been told the outcome.',
    'Case direction', CASE_DIRECTION, 'Signed off by Maya Lindqvist', SECOND_DECISION.outcomeLabel, 'Completed');
  check(!text.includes('Decision due by'), 'a completed contact still shows a decision deadline');
  check(!(await page.locator('form[action$="/decision"], form[action$="/sign-off"]').count()),
    'a signed-off contact still offers the decision or sign-off forms');

  // The outcome e-mail, through the SMTP sink.
  const { found: mails, all } = await readMail((m) => m.to.includes('pc.jones@demo.example.org'), 30000);
  check(mails.length === 1,
    `expected one e-mail to pc.jones@demo.example.org, got ${mails.length} (of ${all.length}: ${all.map((m) => m.to).join('; ')})`);
  const mail = mails[0];
  writeFileSync(path.join(artifacts, 'outcome-email.json'), `${JSON.stringify(mail, null, 2)}\n`);
  check(mail.to.length === 1, `the outcome e-mail went to more than the referrer: ${mail.to.join(', ')}`);
  check(mail.subject === `Outcome of your referral ${reference}`, `unexpected e-mail subject: ${mail.subject}`);
  const body = squash(mail.body);
  for (const needle of [reference, `The MASH has reached a decision: ${SECOND_DECISION.outcomeLabel}.`,
    'A strategy discussion will be held.', received.slice(0, 10)]) {
    check(body.includes(needle), `the outcome e-mail does not say "${needle}":\n${mail.body}`);
  }
  // Nothing beyond what may be shared: no names, address, concerns, reasoning
  // or direction, in any part of the message.
  const secret = [
    ...CHILDREN.flatMap((c) => [c.given, c.family]), ...ADULTS.flatMap((a) => [a.given, a.family]),
    'Larkspur', POSTCODE, CONCERNS.slice(0, 40), 'DASH', 'hid in her bedroom', SCREEN_RATIONALE.slice(0, 30),
    FIRST_DECISION.rationale.slice(0, 30), SECOND_DECISION.rationale.slice(0, 30), SECOND_DECISION.nextSteps.slice(0, 30),
    FIRST_DECISION.nextSteps.slice(0, 30), SEND_BACK_REASON.slice(0, 30), CASE_DIRECTION.slice(0, 30), 'MARAC',
    'Level 4', 'level 4', 'Red', 'Sam Okafor', 'Maya Lindqvist',
  ];
  const whole = `${mail.subject}\n${mail.raw}\n${mail.body}`;
  const leaked = secret.filter((s) => whole.includes(s));
  check(leaked.length === 0, `the outcome e-mail shares what it should not: ${leaked.join(', ')}\n${mail.body}`);
  log(`outcome e-mail received: "${mail.subject}"`);

  // The child's chronology, newest first, with who did each thing.
  await go(page.getByRole('link', { name: `View the record for ${CHILDREN[0].given} ${CHILDREN[0].family}` }),
    `maya.manager opens ${CHILDREN[0].given}'s record`);
  await expectText('person', `${CHILDREN[0].given} ${CHILDREN[0].family}`, 'Chronology', '12 April 2019', ADDRESS);
  const items = await page.locator('.moj-timeline__item').evaluateAll((nodes) =>
    nodes.map((n) => ({
      title: (n.querySelector('.moj-timeline__title')?.textContent || '').replace(/\s+/g, ' ').trim(),
      by: (n.querySelector('.moj-timeline__byline')?.textContent || '').replace(/\s+/g, ' ').trim(),
      at: n.querySelector('time')?.getAttribute('datetime') || '',
      shown: (n.querySelector('time')?.textContent || '').trim(),
      text: (n.querySelector('.moj-timeline__description')?.textContent || '').replace(/\s+/g, ' ').trim(),
    })));
  writeFileSync(path.join(artifacts, 'chronology.json'), `${JSON.stringify(items, null, 2)}\n`);
  for (let i = 1; i < items.length; i += 1) {
    check(items[i - 1].at >= items[i].at, `the chronology is not newest first at item ${i}: ${items[i - 1].at} then ${items[i].at}`);
  }
  // Read bottom up, the page is the record in order.
  const oldestFirst = [...items].reverse();
  const sam = 'by Sam Okafor, MASH social worker';
  const maya = 'by Maya Lindqvist, MASH team manager';
  const expected = [
    {
      title: `Contact ${reference} received (Online referral form (e-MARF)) from PC Rhys Jones, Demo Constabulary, ` +
        `about ${CHILDREN[0].given}, ${CHILDREN[1].given}`,
      by: 'by PC Rhys Jones, Partner referrer',
      day: receivedShown,
    },
    { title: 'Person record created', by: sam, day: 'Mon 30 Nov 2026, 9:3' },
    { title: 'New person record created and linked to the contact', by: sam, day: 'Mon 30 Nov 2026, 9:3' },
    { title: 'New person record created and linked to the contact', by: sam, day: 'Mon 30 Nov 2026, 9:3' },
    { title: `Screened: RAG rating Red. ${SCREEN_RATIONALE}`, by: sam, day: 'Mon 30 Nov 2026, 9:3' },
    { title: `Decision recorded: ${FIRST_DECISION.outcomeLabel} (level 3). Rationale: ${FIRST_DECISION.rationale}`,
      by: sam, day: 'Mon 30 Nov 2026, 9:5' },
    { title: `Decision sent back by manager: ${SEND_BACK_REASON}`, by: maya, day: 'Mon 30 Nov 2026, 10:0',
      text: `Reason: ${SEND_BACK_REASON}` },
    { title: `Decision recorded: ${SECOND_DECISION.outcomeLabel} (level 4). Rationale: ${SECOND_DECISION.rationale}`,
      by: sam, day: 'Mon 30 Nov 2026, 10:2' },
    { title: `Decision signed off. Case direction: ${CASE_DIRECTION}`, by: maya, day: 'Mon 30 Nov 2026, 10:3' },
    { title: 'Contact closed', by: maya, day: 'Mon 30 Nov 2026, 10:3' },
    { title: 'Referrer told the outcome in Frontdoor', by: maya, day: 'Mon 30 Nov 2026, 10:3' },
    { title: 'Referrer told the outcome by e-mail', by: 'by Frontdoor', day: 'Mon 30 Nov 2026, 10:3' },
  ];
  const shown = oldestFirst.map((x) => `  ${x.shown} | ${x.title} | ${x.by}`).join('\n');
  check(oldestFirst.length === expected.length,
    `the chronology has ${oldestFirst.length} entries, expected ${expected.length}. Oldest first it is:\n${shown}`);
  expected.forEach((want, k) => {
    const item = oldestFirst[k];
    check(item.title === want.title && item.by.startsWith(want.by) && item.shown.startsWith(want.day) &&
      (!want.text || item.text.includes(want.text)),
    `chronology entry ${k + 1} (oldest first) should be "${want.title}" ${want.by} on ${want.day}...; ` +
      `oldest first the chronology is:\n${shown}`);
  });
  await page.goBack();
  await visited('maya.manager back on the contact');
  await go(page.getByRole('link', { name: `View the record for ${CHILDREN[1].given} ${CHILDREN[1].family}` }),
    `maya.manager opens ${CHILDREN[1].given}'s record`);
  await expectText('second child', `${CHILDREN[1].given} ${CHILDREN[1].family}`, `Contact ${reference} received`,
    'Decision signed off', '3 September 2021');
  await signOut('maya.manager');

  // ---- The officer sees the outcome.
  setClock('2026-11-30T11:00:00Z');
  await signIn('pc.jones', 'PC Rhys Jones');
  await go(page.getByRole('link', { name: 'Your referrals' }).first(), 'pc.jones sees the outcome');
  const outcomeRow = squash(await page.locator('table tbody tr', { hasText: reference }).innerText());
  check(outcomeRow.includes(SECOND_DECISION.outcomeLabel), `Your referrals does not show the outcome: ${outcomeRow}`);
  check(!outcomeRow.includes('With the MASH'), `Your referrals still shows the referral as with the MASH: ${outcomeRow}`);
  await signOut('pc.jones');

  await findingTheChild();
  await theEnquiry();
}

// ---- Issue #4: finding the child on the phone, and a child recorded twice.
// The demo council holds Alexander Whitmore (born 3 February 2016) and
// Jessica Harlow, recorded a second time as "Jess" (app/demo.cpp).
async function findingTheChild() {
  setClock('2026-11-30T11:30:00Z');
  await signIn('sam.worker', 'Sam Okafor');
  await go(page.getByRole('link', { name: 'Record a contact' }).first(), 'sam.worker starts a phone contact');
  // What a caller says: a short name, a misspelt family name, the day and
  // month of birth the wrong way round.
  await page.locator('input[name="child1_given_name"]').fill('Alex');
  await page.locator('input[name="child1_family_name"]').fill('Whitmoor');
  await page.locator('input[name="child1_dob-day"]').fill('2');
  await page.locator('input[name="child1_dob-month"]').fill('3');
  await page.locator('input[name="child1_dob-year"]').fill('2016');
  const offered = page.locator('.app-person-suggestions[data-child="child1_"] li.app-suggestions__item');
  await offered.first().waitFor({ timeout: 15000 });
  const first = squash(await offered.first().innerText());
  check(/\d+\.\d% · (very likely|possible)/.test(first), `the first person offered has no probability: ${first}`);
  for (const needle of ['Alexander Whitmore', 'born 3 February 2016',
    'given name is a known nickname or short form of the other (+',
    'family name is spelt slightly differently (+', 'date of birth has day and month swapped (+']) {
    check(first.includes(needle), `the first person offered does not say "${needle}": ${first}`);
  }
  await visited('the contact form offers Alexander Whitmore first, with why');
  await signOut('sam.worker');

  await signIn('maya.manager', 'Maya Lindqvist');
  await go(page.getByRole('link', { name: 'Duplicate person records' }).first(), 'maya.manager opens the duplicate-finder');
  const card = page.locator('.govuk-summary-card', { hasText: 'Jessica Harlow and Jess Harlow' });
  check((await card.count()) === 1, 'the duplicate-finder does not list Jessica Harlow and Jess Harlow');
  const cardText = squash(await card.innerText());
  check(cardText.includes('given name is a known nickname'), `the pair is not explained: ${cardText}`);
  check(!(await mainText()).includes('Alexander Whitmore and'), 'the duplicate-finder lists Alexander Whitmore');
  await go(card.getByRole('link', { name: /Compare and merge/ }), 'maya.manager compares the two records');
  await expectText('compare', 'The two records side by side', 'Jessica Harlow', 'Jess Harlow', 'Match probability');
  await page.getByRole('radio', { name: /Jessica Harlow/ }).check();
  await page.getByLabel('Why are these the same person?').fill(
    'One child recorded twice: same date of birth and address; school confirmed "Jess" is Jessica.');
  await go(page.getByRole('button', { name: 'Merge the records' }), 'maya.manager merges the records');
  const kept = new URL(page.url()).pathname;
  await expectText('kept record', 'Records merged', 'Jessica Harlow', 'merged into this one: One child recorded twice');
  await go(page.getByRole('link', { name: /^person record P\d+$/ }).first(), 'maya.manager opens the merged record');
  const merged = new URL(page.url()).pathname;
  await expectText('merged record', 'This record has been merged into another', 'Jess Harlow');
  await page.getByLabel('Why are they not the same person?').fill('Merged to show the undo: they are one child, merged again later.');
  await go(page.getByRole('button', { name: 'Unmerge this record' }), 'maya.manager unmerges it');
  await expectText('unmerged', 'Record unmerged', 'Merged into person record', 'Unmerged from person record');
  check(!(await mainText()).includes('This record has been merged into another'), 'the record still says it is merged');
  await go(page.getByRole('link', { name: 'Who has viewed this record' }), 'maya.manager reads the audit of Jess Harlow');
  const audit = await expectText('audit', 'merge', 'unmerge', 'Maya Lindqvist');
  check(/merge[\s\S]*Allowed/.test(audit), `the audit does not show the merge as allowed: ${audit.slice(0, 600)}`);
  await open(kept, 'maya.manager back on Jessica Harlow');
  await expectText('kept record after', 'merged into this one', 'unmerged from this one');
  check(!(await mainText()).includes('Records merged into this one'), `${kept} still lists ${merged} as merged into it`);
  await signOut('maya.manager');
}

// ---- Issue #3: the MASH enquiry.
const PPN = {
  source_code: '6',
  partner_reference: 'PPN-2026-118834',
  referrer: { name: 'DC Owen Price', role: 'Public protection unit' },
  children: [{ given_name: 'Ellis', family_name: 'Fairweather', date_of_birth: '2017-06-14', sex: '1' }],
  adults: [
    { given_name: 'Gemma', family_name: 'Fairweather', relationship: 'mother' },
    { given_name: 'Kyle', family_name: 'Brandon', relationship: "mother's partner", address: '3 Weir Road, Demo Town' },
  ],
  address_line: '22 Orchard Rise, Demo Town',
  postcode: 'DB2 5LN',
  concerns:
    'Public protection notice: officers called at 23:40 to a verbal argument between Gemma Fairweather and ' +
    'Kyle Brandon. Ellis (9) was awake and upset. Third call to the address this year.',
};
const OVERRIDE_REASON =
  'Asking the mother would alert Kyle Brandon, the alleged perpetrator, and place Ellis at risk.';
const CHECK_QUESTION = 'Any domestic abuse, health or attendance concerns about these people?';
const HEALTH_SUMMARY = 'Ellis missed two audiology appointments this year; not brought by the mother.';
const GP_QUESTION = 'Is Ellis registered with the practice? Any attendances for injuries?';
const EARLY_REASON =
  'The GP surgery cannot answer until Thursday and the police and school answers already meet the threshold.';
const ENQUIRY_DECISION = {
  outcome: 'strategy_discussion',
  outcomeLabel: 'Strategy discussion',
  level: '4',
  indicators: ['4.2'],
  rationale: 'Repeated domestic abuse with Ellis present; police and school information confirm the pattern.',
  nextSteps: 'Strategy discussion with police and health tomorrow at 10am.',
};

async function api(method, pathname, token, body) {
  const response = await fetch(new URL(pathname, baseUrl), {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, json, text };
}

function issueToken(username) {
  const out = spawnSync(binary, ['token', 'issue', '--username', username, '--data', dataDir], { encoding: 'utf8' });
  check(out.status === 0, `frontdoor token issue for ${username} failed: ${out.stderr}`);
  return out.stdout.trim();
}

async function theEnquiry() {
  setClock('2026-12-01T10:00:00Z');
  const police = issueToken('dc.mash');
  const sent = await api('POST', '/api/v1/contacts', police, PPN);
  check(sent.status === 201, `the police system's PPN was refused: ${sent.status} ${sent.text}`);
  const again = await api('POST', '/api/v1/contacts', police, PPN);
  check(again.status === 201 && again.json.id === sent.json.id,
    `the same PPN sent twice made another contact: ${again.status} ${again.text}`);
  const contactPath = `/contacts/${sent.json.id}`;
  const ref = sent.json.reference;
  log(`PPN ${PPN.partner_reference} is ${ref}`);

  // The social worker links Ellis and rates the contact red.
  await signIn('sam.worker', 'Sam Okafor');
  await open(contactPath, `sam.worker opens ${ref}`);
  await expectText('ppn', `Contact ${ref}`, 'Ellis Fairweather', 'Gemma Fairweather', 'Kyle Brandon', 'Public protection notice');
  const link = page.locator('form[action$="/link"]:has(input[name="child_index"][value="0"])');
  await link.locator('input[name="person_id"][value="new"]').check();
  await go(link.getByRole('button', { name: 'Link to person record' }), 'sam.worker creates a record for Ellis');
  const childHref = await page.getByRole('link', { name: 'View the record for Ellis Fairweather' }).getAttribute('href');
  const screen = page.locator('form[action$="/screen"]');
  await screen.locator('input[name="rag"][value="red"]').check();
  await screen.getByLabel('Why this rating?').fill('Third domestic abuse call this year with a child present.');
  await go(screen.getByRole('button', { name: 'Save screening' }), 'sam.worker rates the PPN red');
  setClock('2026-12-01T10:05:00Z');
  // No checks without consent or a manager's override: the form says what to record.
  await requestCheck('Demo Constabulary', 'sam.worker asks the police before consent is settled', { status: 400 });
  await expectText('no consent', 'Consent for Ellis Fairweather: record that it was given, or why checks go ahead without it');
  await signOut('sam.worker');

  // The manager agrees checks without consent, with the lawful basis and why.
  await signIn('maya.manager', 'Maya Lindqvist');
  await open(contactPath, `maya.manager opens ${ref}`);
  const override = page.locator('form[action$="/consent-override"]');
  await page.locator('details:has(form[action$="/consent-override"])').first().evaluate((d) => { d.open = true; });
  await override.locator('input[name="basis"][value="risk_of_harm"]').check();
  await override.getByLabel('Why checks must go ahead without consent').fill(OVERRIDE_REASON);
  await go(override.getByRole('button', { name: 'Agree checks without consent' }), 'maya.manager agrees checks without consent');
  await expectText('override', 'Checks agreed without consent', OVERRIDE_REASON, 'Maya Lindqvist');
  await signOut('maya.manager');

  // The social worker asks police, health and education about all three at
  // 10:10. Red: due within 2 hours (the default check policy, clock hours).
  setClock('2026-12-01T10:10:00Z');
  await signIn('sam.worker', 'Sam Okafor');
  await open(contactPath, `sam.worker opens ${ref} again`);
  for (const agency of ['Demo Constabulary', 'Demo NHS Foundation Trust', 'Demo Academy Trust']) {
    await requestCheck(agency, `sam.worker asks ${agency}`);
    await expectText(`asked ${agency}`, 'Check requested');
  }
  await signOut('sam.worker');

  // Health, 45 minutes later: only what was shared; answers for each person,
  // then asks the GP.
  setClock('2026-12-01T10:55:00Z');
  await signIn('hana.health', 'Hana Novak');
  await go(page.getByRole('link', { name: 'Checks' }).first(), 'hana.health opens her checks');
  const row = page.locator('table tbody tr', { hasText: ref });
  check((await row.count()) === 1, `hana.health's queue does not hold one check on ${ref}`);
  await go(row.first().getByRole('link').first(), 'hana.health opens the health check');
  const healthPath = new URL(page.url()).pathname;
  let text = await expectText('health check', 'Ellis Fairweather', 'Gemma Fairweather', 'Kyle Brandon', PPN.concerns);
  check(!text.includes('DC Owen Price'), 'the health practitioner sees who raised the concern, which was not shared');
  const fieldsets = page.locator('form[action$="/answer"] fieldset.govuk-fieldset:has(legend.govuk-fieldset__legend--m)');
  const people = await fieldsets.count();
  check(people === 3, `the answer form has ${people} people, not 3`);
  for (let i = 0; i < people; i += 1) {
    const fs = fieldsets.nth(i);
    const who = squash(await fs.locator('legend').first().innerText());
    const known = who.includes('Ellis');
    await fs.locator(`input[value="${known ? 'yes' : 'no'}"]`).check();
    if (known) {
      await fs.getByLabel('What your agency holds').fill(HEALTH_SUMMARY);
      await fs.getByLabel('Source system (optional)').fill('SystmOne');
    }
  }
  await go(page.getByRole('button', { name: 'Send answer' }), 'hana.health answers');
  await expectText('health answered', 'Answer sent to the MASH', HEALTH_SUMMARY);
  const sub = page.locator('form[action$="/sub-requests"]');
  await sub.getByLabel('Service to ask').selectOption('GP');
  await sub.getByRole('checkbox', { name: 'Ellis Fairweather' }).check();
  await sub.getByLabel('What do you want them to check?').fill(GP_QUESTION);
  await go(sub.getByRole('button', { name: 'Send sub-request' }), 'hana.health asks the GP');
  await expectText('gp asked', 'Sub-request sent', 'GP');
  await signOut('hana.health');

  // The police answer through the API, from the police system, at 11:40.
  setClock('2026-12-01T11:40:00Z');
  const queue = await api('GET', '/api/v1/checks', police);
  check(queue.status === 200, `the police system cannot read its checks: ${queue.status} ${queue.text}`);
  const items = queue.json.items || queue.json.checks || [];
  const policeLine = items.find((c) => c.contact_reference === ref);
  check(policeLine, `the police queue does not hold the check on ${ref}: ${queue.text.slice(0, 400)}`);
  const policeCheck = await api('GET', `/api/v1/checks/${policeLine.id}`, police);
  check(policeCheck.status === 200, `the police system cannot read its check: ${policeCheck.text}`);
  const askedAbout = policeCheck.json.people || policeCheck.json.check?.people || [];
  const answers = askedAbout.map((p) => {
    const kyle = (p.name || '').includes('Kyle');
    return {
      person_id: p.person_id ?? p.id,
      known: kyle,
      summary: kyle ? 'Two domestic abuse call-outs in 2026; bail conditions not to contact Gemma Fairweather.' : '',
      risk: kyle ? 'High' : '',
      source_system: kyle ? 'Niche RMS' : '',
      source_reference: kyle ? 'OCC-26-44102' : '',
    };
  });
  const version = policeCheck.json.version ?? policeCheck.json.check?.version;
  const answered = await api('POST', `/api/v1/checks/${policeLine.id}/answer`, police,
    { version, answers, partner_reference: 'PNC-ANS-55810' });
  check(answered.status === 200, `the police answer through the API was refused: ${answered.status} ${answered.text}`);

  // The decision waits for education and the GP.
  await signIn('sam.worker', 'Sam Okafor');
  await open(contactPath, `sam.worker reads the answers on ${ref}`);
  text = await expectText('answers', 'Two domestic abuse call-outs', HEALTH_SUMMARY, '2 checks are still outstanding');
  await recordEnquiryDecision('sam.worker tries to decide with checks out', { status: 409 });
  await expectText('refused', '2 checks are still outstanding');
  await signOut('sam.worker');

  // Education answers at 13:10, an hour late.
  setClock('2026-12-01T13:10:00Z');
  await signIn('liz.education', 'Liz Adeyemi');
  await go(page.getByRole('link', { name: 'Checks' }).first(), 'liz.education opens her checks');
  await go(page.locator('table tbody tr', { hasText: ref }).first().getByRole('link').first(), 'liz.education opens the check');
  const schoolSets = page.locator('form[action$="/answer"] fieldset.govuk-fieldset:has(legend.govuk-fieldset__legend--m)');
  for (let i = 0; i < (await schoolSets.count()); i += 1) {
    const fs = schoolSets.nth(i);
    const isEllis = squash(await fs.locator('legend').first().innerText()).includes('Ellis');
    await fs.locator(`input[value="${isEllis ? 'yes' : 'no'}"]`).check();
    if (isEllis) await fs.getByLabel('What your agency holds').fill('Attendance 81% this term; tired and withdrawn on Mondays.');
  }
  await go(page.getByRole('button', { name: 'Send answer' }), 'liz.education answers');
  // A partner cannot open another agency's check: exactly as if it did not exist.
  await open(healthPath, 'liz.education tries the health check', { status: 404 });
  await signOut('liz.education');

  setClock('2026-12-01T13:15:00Z');
  await signIn('maya.manager', 'Maya Lindqvist');
  await open(contactPath, `maya.manager opens ${ref} with the GP outstanding`);
  await expectText('one out', '1 check is still outstanding');
  await page.getByLabel('Why can the decision not wait for the checks?').fill(EARLY_REASON);
  await go(page.getByRole('button', { name: 'Allow the decision now' }), 'maya.manager records why the decision cannot wait');
  await expectText('early', 'Recorded why the decision cannot wait', EARLY_REASON);
  await signOut('maya.manager');

  await signIn('sam.worker', 'Sam Okafor');
  await open(contactPath, `sam.worker decides ${ref}`);
  await recordEnquiryDecision('sam.worker records the decision', { relyOn: 3 });
  await expectText('decided', 'Decision recorded and sent to a manager for sign-off', ENQUIRY_DECISION.rationale);
  await open(childHref, 'sam.worker opens Ellis Fairweather\'s chronology');
  await expectText('enquiry chronology',
    'Checks for child 1 to go ahead without consent, agreed by Maya Lindqvist',
    'Check requested from Demo Constabulary', 'Check requested from Demo NHS Foundation Trust',
    'Check requested from Demo Academy Trust', 'Demo NHS Foundation Trust answered the check',
    'GP asked by Demo NHS Foundation Trust', 'Demo Constabulary answered the check',
    'Demo Academy Trust answered the check', 'Manager agreed the decision cannot wait', 'Decision recorded');
  const chronology = await mainText();
  check(!chronology.includes(HEALTH_SUMMARY), 'the chronology shows what health holds');
  await signOut('sam.worker');

  // The partnership's figures, live, at 13:30. The demo council's own checks
  // are in them too (tests/app/enquiry_web_test.cpp checks the arithmetic on
  // a store holding one contact): here, each agency is listed and the
  // contact still waits for one check, the GP's.
  setClock('2026-12-01T13:30:00Z');
  await signIn('maya.manager', 'Maya Lindqvist');
  await go(page.getByRole('link', { name: 'Partnership' }).first(), 'maya.manager reads the partnership figures');
  await expectText('partnership', 'Demo Constabulary', 'Demo NHS Foundation Trust', 'Demo Academy Trust',
    'Contacts still waiting for checks');
  const waitingRow = page.locator('table:has(caption:text("Contacts still waiting for checks")) tbody tr', { hasText: ref });
  check((await waitingRow.count()) === 1, `${ref} is not among the contacts still waiting for checks`);
  const waitingText = squash(await waitingRow.first().innerText());
  check(/ 1$/.test(waitingText), `${ref} should wait for one check (the GP's): ${waitingText}`);
  const nhs = squash(await page.locator('table tbody tr', { hasText: 'Demo NHS Foundation Trust' }).first().innerText());
  check(/Overdue \d+$/.test(nhs), `health shows no overdue checks, though the GP request is late: ${nhs}`);
  await signOut('maya.manager');
}

async function requestCheck(agency, label, options) {
  const form = page.locator('form[action$="/checks"]');
  await form.getByLabel('Agency').selectOption({ label: agency });
  for (const name of ['Ellis Fairweather', 'Gemma Fairweather', 'Kyle Brandon']) {
    await form.getByRole('checkbox', { name: new RegExp(`^${name}`) }).check();
  }
  await form.getByLabel('What do you want them to check?').fill(CHECK_QUESTION);
  await form.getByRole('checkbox', { name: 'The concerns' }).check();
  await go(form.getByRole('button', { name: 'Request check' }), label, options);
}

async function recordEnquiryDecision(label, { status = 200, relyOn = 0 } = {}) {
  const d = ENQUIRY_DECISION;
  const form = page.locator('form[action$="/decision"]');
  check((await form.count()) === 1, `${label}: there is no decision form`);
  await form.locator(`input[name="outcome"][value="${d.outcome}"]`).check();
  await form.locator(`input[name="level"][value="${d.level}"]`).check();
  for (const code of d.indicators) await form.locator(`input[name="indicators"][value="${code}"]`).check();
  const relied = form.locator('input[name="relied_on_checks"]');
  check((await relied.count()) >= relyOn, `${label}: ${await relied.count()} answers offered to rely on, not ${relyOn}`);
  for (let i = 0; i < relyOn; i += 1) await relied.nth(i).check();
  await form.getByLabel('Rationale').fill(d.rationale);
  await form.getByLabel('Next steps').fill(d.nextSteps);
  await go(form.getByRole('button', { name: 'Send for sign-off' }), label, { status });
}

// ------------------------------------------------------------ main
async function main() {
  check(binary && existsSync(binary), `usage: node e2e/journey.mjs PATH/TO/frontdoor (or set FRONTDOOR_BIN); got "${binary}"`);
  check(existsSync(axePath), `${axePath} is missing: run npm install in ${root}`);
  mkdirSync(artifacts, { recursive: true });
  for (const f of readdirSync(artifacts)) {
    if (/^\d\d-.*\.png$|^(server|smtp-sink)\.log$|^(outcome-email|chronology)\.json$|^failure\.png$/.test(f)) {
      rmSync(path.join(artifacts, f));
    }
  }
  ensureAssets(log);
  const chromium = await loadChromium();
  processes = new Processes(artifacts);

  const sink = processes.start(process.execPath, [path.join(root, 'e2e', 'smtp-sink.mjs'), mailFile, '0'], { cwd: root },
    'smtp-sink.log');
  const sinkPort = Number(await firstLine(sink.stdout, 'the SMTP sink', 10000, sink));
  check(sinkPort > 0, 'the SMTP sink did not print its port');
  log(`SMTP sink on 127.0.0.1:${sinkPort}`);

  // The demo council is generated "now": a little before the officer's night.
  setClock('2026-11-28T02:00:00Z');
  baseUrl = await startServer(processes, binary, ['--port', '0', '--data', dataDir, '--demo', '--clock-file', clockFile], {
    env: {
      ...process.env,
      FRONTDOOR_SMTP_HOST: '127.0.0.1',
      FRONTDOOR_SMTP_PORT: String(sinkPort),
      FRONTDOOR_SMTP_FROM: 'Demo MASH <mash@demo.example.org>',
    },
  });
  log(`frontdoor on ${baseUrl}`);
  await journey(chromium);
  if (axeWarnings.size > 0) {
    log(`axe-core best-practice findings (not WCAG failures):\n${[...axeWarnings].map(([k, v]) => `  ${k}: ${v}`).join('\n')}`);
  }
  log(`PASS: ${stepNumber} pages checked with axe-core; screenshots in ${artifacts}`);
}

async function cleanUp() {
  if (context) {
    await context.close().catch(() => {});
    context = null;
  }
  if (processes) await processes.stopAll();
  if (!process.env.E2E_KEEP) rmSync(work, { recursive: true, force: true });
  else log(`kept ${work}`);
}

// A hung browser or server must not hang CI: give up, clean up, fail.
await run({
  name: 'journey',
  main,
  cleanUp,
  artifacts,
  limitSeconds: 600,
  onFailure: async () => {
    if (page) await page.screenshot({ path: path.join(artifacts, 'failure.png'), fullPage: true });
  },
});
