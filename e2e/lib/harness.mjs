// What every browser test shares (e2e/journey.mjs, e2e/xss.mjs): failures,
// child processes with their logs, starting `frontdoor serve`, launching
// Debian's Chromium through playwright-core, and a run() that bounds the
// whole test with a watchdog and always cleans up.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PASSWORD = 'frontdoor-demo-2026'; // every demo user's (app/demo.hpp)
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// A failure the test explains itself (printed without a stack trace).
export class E2eFailure extends Error {}

export function fail(message) {
  throw new E2eFailure(message);
}

export function check(condition, message) {
  if (!condition) fail(message);
}

export function squash(text) {
  return text.replace(/\s+/g, ' ').trim();
}

export function logger(name) {
  return (message) => process.stdout.write(`[${name}] ${message}\n`);
}

export function slug(text) {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
}

// The first line a process prints on `stream`, or a failure if it prints
// nothing in time or exits first.
export function firstLine(stream, what, timeoutMs, proc) {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: stream });
    const timer = setTimeout(() => {
      lines.close();
      reject(new E2eFailure(`${what} printed nothing within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    const onExit = (code) => {
      clearTimeout(timer);
      reject(new E2eFailure(`${what} exited (code ${code}) before it was ready`));
    };
    proc.once('exit', onExit);
    lines.once('line', (line) => {
      clearTimeout(timer);
      proc.off('exit', onExit);
      lines.close();
      resolve(line);
    });
  });
}

function stopProcess(proc) {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      resolve();
      return;
    }
    const killer = setTimeout(() => proc.kill('SIGKILL'), 5000);
    proc.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    proc.kill('SIGTERM');
  });
}

// The processes a test starts, each with its output in a log file in
// `artifacts`; all are stopped at the end, whatever happens.
export class Processes {
  constructor(artifacts) {
    this.artifacts = artifacts;
    this.list = [];
    process.on('exit', () => {
      for (const p of this.list) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
    });
  }

  start(command, args, options, logName) {
    const proc = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    this.list.push(proc);
    const logPath = path.join(this.artifacts, logName);
    writeFileSync(logPath, '');
    proc.stderr.on('data', (chunk) => writeFileSync(logPath, chunk, { flag: 'a' }));
    proc.stdout.on('data', (chunk) => writeFileSync(logPath, chunk, { flag: 'a' }));
    return proc;
  }

  stopAll() {
    return Promise.all(this.list.map(stopProcess));
  }
}

// The log of the server this run started, shown when the test fails.
let serverLog = null;

// Starts `frontdoor serve` and answers its base URL, read from the first line
// it prints ("listening on http://127.0.0.1:PORT").
export async function startServer(processes, binary, args, { env = process.env, logName = 'server.log' } = {}) {
  const server = processes.start(binary, ['serve', ...args], { cwd: root, env }, logName);
  serverLog = path.join(processes.artifacts, logName);
  const first = await firstLine(server.stdout, 'frontdoor serve', 300000, server);
  const m = first.match(/^listening on (http:\/\/127\.0\.0\.1:\d+)$/);
  check(m, `frontdoor serve's first line is not "listening on http://127.0.0.1:PORT": "${first}"`);
  return m[1];
}

// The pages need the compiled stylesheet (scripts/build-assets.sh).
export function ensureAssets(log) {
  if (process.env.FRONTDOOR_ASSETS_DIR) return;
  if (existsSync(path.join(root, 'assets', 'dist', 'application.css'))) return;
  log('the web assets are not built yet: running scripts/build-assets.sh');
  const built = spawnSync('bash', [path.join(root, 'scripts', 'build-assets.sh')], { cwd: root, stdio: 'inherit' });
  check(built.status === 0, 'scripts/build-assets.sh failed: the pages would have no styles');
}

// playwright-core's chromium, after checking that the browser is installed.
export async function loadChromium() {
  check(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium package`);
  try {
    const { chromium } = await import('playwright-core');
    return chromium;
  } catch (error) {
    return fail(`playwright-core is not installed (${error.message}): run npm install in ${root}`);
  }
}

// Runs `main` with a watchdog (E2E_TIMEOUT seconds, default `limitSeconds`),
// prints a failure with the end of the server's log, always runs `cleanUp`,
// and exits with 0 or 1.
export async function run({ name, main, cleanUp, onFailure = async () => {}, artifacts, limitSeconds = 600 }) {
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      cleanUp().finally(() => process.exit(130));
    });
  }
  const limit = Number(process.env.E2E_TIMEOUT || limitSeconds);
  const watchdog = setTimeout(() => {
    process.stderr.write(`\n[${name}] FAIL: the test did not finish within ${limit} s\n`);
    cleanUp().finally(() => process.exit(1));
  }, limit * 1000);

  let exitCode = 0;
  try {
    await main();
  } catch (error) {
    exitCode = 1;
    await onFailure().catch(() => {});
    const message = error instanceof E2eFailure ? error.message : error.stack || String(error);
    process.stderr.write(`\n[${name}] FAIL: ${message}\n`);
    if (serverLog && existsSync(serverLog)) {
      const tail = readFileSync(serverLog, 'utf8').split('\n').slice(-15).join('\n  ');
      process.stderr.write(`[${name}] the end of server.log:\n  ${tail}\n`);
    }
    process.stderr.write(`[${name}] screenshots and logs in ${artifacts} (failure.png is the last page)\n`);
  } finally {
    clearTimeout(watchdog);
    await cleanUp();
  }
  process.exit(exitCode);
}
