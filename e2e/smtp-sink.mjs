#!/usr/bin/env node
// A small SMTP sink for end-to-end tests: accepts every message sent to it on
// 127.0.0.1 and appends each one to a file as a line of JSON. No dependencies.
//
//   node e2e/smtp-sink.mjs <messages.jsonl> [port]
//
// With port 0 (the default) the system picks a free port. The first line on
// stdout is the port number, so a test can start the sink and read it:
//
//   const sink = spawn('node', ['e2e/smtp-sink.mjs', file, '0']);
//   const port = Number((await once(sink.stdout, 'data'))[0].toString().split('\n')[0]);
//
// Each JSON line: { receivedAt, helo, from, to: [..], headers: {lower-case
// name: value}, subject (RFC 2047 decoded), body (transfer-decoded, "\n"
// line endings), raw (the DATA as sent, dot-stuffing undone) }.
// Stops on SIGTERM/SIGINT.
import { appendFileSync } from 'node:fs';
import net from 'node:net';

const [, , outFile, portArg = '0'] = process.argv;
if (!outFile) {
  process.stderr.write('usage: node e2e/smtp-sink.mjs <messages.jsonl> [port]\n');
  process.exit(2);
}
const MAX_MESSAGE = 10 * 1024 * 1024;

function decodeQuotedPrintable(text) {
  const bytes = [];
  const soft = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < soft.length; i += 1) {
    const c = soft[i];
    if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(c, 'latin1'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function decodeEncodedWords(value) {
  // Whitespace between two adjacent encoded-words is dropped (RFC 2047 §6.2).
  const joined = value.replace(/\?=\s+=\?/g, '?==?');
  return joined.replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, charset, enc, payload) => {
    const cs = charset.toLowerCase() === 'utf-8' ? 'utf8' : 'latin1';
    if (enc.toUpperCase() === 'B') return Buffer.from(payload, 'base64').toString(cs);
    return Buffer.from(decodeQuotedPrintable(payload.replace(/_/g, ' ')), 'utf8').toString(cs);
  });
}

function parseMessage(data) {
  const split = data.indexOf('\r\n\r\n');
  const headText = split < 0 ? data : data.slice(0, split);
  const rawBody = split < 0 ? '' : data.slice(split + 4);
  const headers = {};
  for (const line of headText.replace(/\r\n[ \t]/g, '\r\n ').split(/\r\n(?![ \t])/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).replace(/\r\n/g, '').trim();
    if (!(name in headers)) headers[name] = value;
  }
  const cte = (headers['content-transfer-encoding'] || '').toLowerCase();
  let body;
  if (cte === 'quoted-printable') body = decodeQuotedPrintable(rawBody);
  else if (cte === 'base64') body = Buffer.from(rawBody, 'base64').toString('utf8');
  else body = Buffer.from(rawBody, 'latin1').toString('utf8');
  return {
    headers,
    subject: decodeEncodedWords(headers.subject || ''),
    body: body.replace(/\r\n/g, '\n'),
  };
}

function unstuff(text) {
  return text.replace(/(^|\r\n)\./g, '$1');
}

function serve(socket) {
  // Work in latin1 so every byte maps to one character and back.
  socket.setEncoding('latin1');
  let buffer = '';
  let inData = false;
  let helo = '';
  let from = null;
  let to = [];
  const reply = (line) => socket.write(`${line}\r\n`);
  reply('220 smtp-sink ESMTP ready');

  socket.on('data', (chunk) => {
    buffer += chunk;
    for (;;) {
      if (inData) {
        const probe = `\r\n${buffer}`;
        const end = probe.indexOf('\r\n.\r\n');
        if (end < 0) {
          if (buffer.length > MAX_MESSAGE) {
            reply('552 5.3.4 Message too big');
            socket.end();
          }
          return;
        }
        const raw = probe.slice(2, end + 2);
        buffer = probe.slice(end + 5);
        inData = false;
        const data = unstuff(raw);
        const record = {
          receivedAt: new Date().toISOString(),
          helo,
          from,
          to,
          ...parseMessage(data),
          raw: Buffer.from(data, 'latin1').toString('utf8'),
        };
        appendFileSync(outFile, `${JSON.stringify(record)}\n`);
        from = null;
        to = [];
        reply('250 2.0.0 Ok: queued');
        continue;
      }
      const eol = buffer.indexOf('\r\n');
      if (eol < 0) {
        if (buffer.length > 4096) socket.destroy();
        return;
      }
      const line = buffer.slice(0, eol);
      buffer = buffer.slice(eol + 2);
      const verb = line.split(' ')[0].toUpperCase();
      const address = () => (line.match(/<([^>]*)>/) || [null, ''])[1];
      if (verb === 'EHLO') {
        helo = line.slice(5);
        socket.write(`250-smtp-sink greets ${helo}\r\n250-8BITMIME\r\n250 SIZE ${MAX_MESSAGE}\r\n`);
      } else if (verb === 'HELO') {
        helo = line.slice(5);
        reply('250 smtp-sink');
      } else if (verb === 'MAIL') {
        from = address();
        to = [];
        reply('250 2.1.0 Ok');
      } else if (verb === 'RCPT') {
        if (from === null) {
          reply('503 5.5.1 Error: need MAIL command');
        } else {
          to.push(address());
          reply('250 2.1.5 Ok');
        }
      } else if (verb === 'DATA') {
        if (to.length === 0) {
          reply('554 5.5.1 Error: no valid recipients');
        } else {
          inData = true;
          reply('354 End data with <CR><LF>.<CR><LF>');
        }
      } else if (verb === 'RSET') {
        from = null;
        to = [];
        reply('250 2.0.0 Ok');
      } else if (verb === 'NOOP') {
        reply('250 2.0.0 Ok');
      } else if (verb === 'QUIT') {
        reply('221 2.0.0 Bye');
        socket.end();
        return;
      } else {
        reply('502 5.5.2 Error: command not recognized');
      }
    }
  });
  socket.on('error', () => {});
}

const server = net.createServer(serve);
server.listen(Number(portArg), '127.0.0.1', () => {
  process.stdout.write(`${server.address().port}\n`);
});
const stop = () => {
  server.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
