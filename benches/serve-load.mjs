// Load benchmark of `metodist serve` (issue «Hardening»): memory and errors under many clients.
//
//   cargo build --release && node benches/serve-load.mjs [demo|N]          default: demo
//
//   demo  a copy of this repository's content/ in /dev/shm/serve-load/demo
//   N     the N-practice corpus of benches/gen_corpus.py in /dev/shm/serve-load/cN
//
// Environment (all optional): T=30 seconds of load, C=200 concurrent clients, S=50 open SSE
// connections, CHURN=0.25 share of the clients that open a new connection for every request
// (the others keep theirs alive), M=2 loops of malformed requests, AFTER=10 seconds observed
// after the clients leave, MIX=pages,static,export,404,api (which kinds of requests clients
// send), BIN=path of the metodist binary, MIMALLOC_* passed to the server as they are.
//
// The script starts `metodist serve --port 0` on the content, finds pages to request by
// following the links of the home page, then runs the load from loopback only and stops by
// itself. The server's RSS and thread count are read from /proc/<pid>/status every second.
// Reported: requests, errors (an unexpected status or a failed connection; must be 0),
// malformed requests and their answers, RSS at idle / after 5 s / at the end / after the
// clients left, and two verdicts: plateau (the largest RSS of the last 5 s of load is at most
// 10 % over the largest of seconds 5–10) and release (RSS 5 s after the clients left is at
// most idle + 50 %). Exit code 1 when there were errors or a verdict failed.

import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServe } from '../tests/browser/metodist-serve.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const corpusArg = process.argv[2] || 'demo';
const env = (k, d) => (process.env[k] === undefined || process.env[k] === '' ? d : process.env[k]);
const T = Number(env('T', 30));
const C = Number(env('C', 200));
const S = Number(env('S', 50));
const CHURN = Number(env('CHURN', 0.25));
const M = Number(env('M', 2));
const AFTER = Number(env('AFTER', 10));
const MIX = env('MIX', 'pages,static,export,404,api').split(',');
const bin = env('BIN', join(repo, 'target/release/metodist'));
const mimalloc = Object.keys(process.env).filter((k) => k.startsWith('MIMALLOC_')).map((k) => `${k}=${process.env[k]}`);
console.log(`command: ${[`T=${T}`, `C=${C}`, `S=${S}`, `CHURN=${CHURN}`, `M=${M}`, `AFTER=${AFTER}`, `MIX=${MIX.join(',')}`, ...mimalloc, 'node', 'benches/serve-load.mjs', corpusArg].join(' ')}`);
try {
  console.log(`machine: ${execFileSync('uptime', { encoding: 'utf8' }).trim()}; ${execFileSync('nproc', { encoding: 'utf8' }).trim()} cores`);
} catch {}

// The content.
const work = '/dev/shm/serve-load';
const root = join(work, corpusArg === 'demo' ? 'demo' : `c${corpusArg}`);
mkdirSync(work, { recursive: true });
if (corpusArg === 'demo') {
  rmSync(root, { recursive: true, force: true });
  cpSync(join(repo, 'content'), join(root, 'content'), { recursive: true });
} else if (!existsSync(join(root, 'content'))) {
  const shared = `/dev/shm/metodist-bench/c${corpusArg}`;
  if (existsSync(join(shared, 'content'))) cpSync(shared, root, { recursive: true });
  else execFileSync('python3', [join(repo, 'benches/gen_corpus.py'), root, String(corpusArg)], { stdio: 'inherit' });
}

// The server.
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));
const { server, origin } = await startServe(bin, root, { timeoutMs: 300000 });
process.on('exit', () => server.exitCode === null && server.kill('SIGINT'));
const port = Number(new URL(origin).port);
const status = () => {
  try {
    const s = readFileSync(`/proc/${server.pid}/status`, 'utf8');
    const huge = Number((readFileSync(`/proc/${server.pid}/smaps_rollup`, 'utf8').match(/AnonHugePages:\s+(\d+)/) || [0, NaN])[1]);
    return { rss: Number(s.match(/VmRSS:\s+(\d+)/)[1]) / 1024, threads: Number(s.match(/Threads:\s+(\d+)/)[1]), huge: huge / 1024 };
  } catch {
    return { rss: NaN, threads: NaN, huge: NaN };
  }
};

/** One GET: resolves to { status, body } or rejects. */
function get(path, agent) {
  return new Promise((ok, fail) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent, headers: agent ? {} : { connection: 'close' } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => ok({ status: res.statusCode, body: Buffer.concat(chunks) }));
      res.on('error', fail);
    });
    req.setTimeout(60000, () => req.destroy(new Error('timeout')));
    req.on('error', fail);
  });
}

// Requests: pages found from the home page (every department's home and a few of its pages),
// theme static files, the search export, 404s and /api/search.
const home = await get('/', false);
// Links to pages (ending with a slash), relative ones resolved against the page's address.
const hrefs = (html, base) =>
  [...new Set([...html.toString().matchAll(/href="([^"#?:]*\/)"/g)].map((m) => new URL(m[1], origin + base).pathname))];
const pages = new Set(['/']);
for (const d of hrefs(home.body, '/').slice(0, 6)) {
  pages.add(d);
  for (const p of hrefs((await get(d, false)).body, d).slice(0, 8)) pages.add(p);
}
const dept = [...pages].find((p) => /^\/[^/]+\/$/.test(p)) || '/';
const queries = ['наставника', 'цифровая образовательная среда', 'методическая неделя', 'проект', 'инклюзивное образование'];
const kinds = {
  pages: [...pages].map((p) => [p, 200]),
  static: ['/static/style.css', `${dept}static/search/engine.js`].map((p) => [p, 200]),
  export: ['/search/meta.json', '/search/facets.json', `${dept}search/meta.json`, `${dept}sitemap.xml`, `${dept}robots.txt`].map((p) => [p, 200]),
  404: ['/net-takoi-stranicy/', `${dept}nope`, '/static/nope.css'].map((p) => [p, 404]),
  api: queries.map((q, i) => [`/api/search?q=${encodeURIComponent(q)}${i % 2 ? '&limit=50' : ''}`, 200]),
};
for (const [k, list] of Object.entries(kinds)) {
  for (const [p, want] of list) {
    const r = await get(p, false);
    if (r.status !== want) throw new Error(`${k}: ${p} answered ${r.status} before the load, expected ${want}`);
  }
}
const mix = MIX.flatMap((k) => kinds[k] || []);
console.log(`server: ${origin} (pid ${server.pid}), ${root}; ${mix.length} URLs: ${pages.size} pages, ${Object.entries(kinds).filter(([k]) => k !== 'pages' && MIX.includes(k)).map(([k, l]) => `${l.length} ${k}`).join(', ')}`);

// Malformed requests and the answers they must get.
const malformed = [
  ['bad request line', 'GARBAGE\r\n\r\n', 400],
  ['control character', 'GET /\x01 HTTP/1.1\r\nHost: x\r\n\r\n', 400],
  ['bad version', 'GET / HTTP/9.9\r\nHost: x\r\n\r\n', 400],
  ['bad percent-encoding', 'GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n', 400],
  ['header without colon', 'GET / HTTP/1.1\r\nHost: x\r\nno colon\r\n\r\n', 400],
  ['binary garbage', Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 37 + 11) % 256).concat([13, 10, 13, 10])), 400],
  // hyper closes an HTTP/1.1 connection that opens with the HTTP/2 preface, unanswered (0).
  ['HTTP/2 preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 0],
  ['POST', 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}', 405],
  ['huge head', `GET /${'a'.repeat(20000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 431],
];
function rawRequest(bytes) {
  return new Promise((done) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(bytes));
    const chunks = [];
    s.setTimeout(30000, () => s.destroy());
    s.on('data', (x) => chunks.push(x));
    s.on('close', () => {
      const head = Buffer.concat(chunks).toString('latin1');
      done(Number((head.match(/^HTTP\/1\.1 (\d{3}) /) || [])[1]) || 0);
    });
    s.on('error', () => {});
  });
}

// The load.
const counts = { requests: 0, errors: 0, byStatus: {}, malformed: 0, malformedAsExpected: 0, malformedByKind: {}, sse: 0, sseErrors: 0 };
const errorSamples = [];
const error = (what) => {
  counts.errors++;
  if (errorSamples.length < 10) errorSamples.push(what);
};
const samples = []; // { at, rss, threads }, at = performance.now()
const sampler = setInterval(() => samples.push({ at: performance.now(), ...status() }), 1000);
await sleep(3000); // idle samples before the load
const idle = status();

const t0 = performance.now();
const end = t0 + T * 1000;
const streams = [];
for (let i = 0; i < S; i++) {
  streams.push(
    new Promise((done) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/__metodist/events', agent: false }, (res) => {
        let got = '';
        res.setEncoding('utf8');
        res.on('data', (c) => {
          if (!got.includes('event: hello') && (got += c).includes('event: hello')) counts.sse++;
        });
        res.on('error', () => {});
        res.on('close', done);
        if (res.statusCode !== 200) {
          counts.sseErrors++;
          error(`SSE: ${res.statusCode}`);
        }
      });
      req.on('error', (e) => {
        if (performance.now() < end) {
          counts.sseErrors++;
          error(`SSE: ${e.message}`);
        }
        done();
      });
      setTimeout(() => req.destroy(), Math.max(0, end - performance.now()));
    }),
  );
}
async function client(i) {
  const churn = i < Math.round(C * CHURN);
  const agent = churn ? false : new http.Agent({ keepAlive: true, maxSockets: 1 });
  let n = i;
  while (performance.now() < end) {
    const [path, want] = mix[n++ % mix.length];
    try {
      const r = await get(path, agent);
      counts.requests++;
      counts.byStatus[r.status] = (counts.byStatus[r.status] || 0) + 1;
      if (r.status !== want || r.body.length === 0) error(`${path}: ${r.status}`);
    } catch (e) {
      counts.requests++;
      error(`${path}: ${e.message}`);
    }
  }
  if (agent) agent.destroy();
}
async function garbage(i) {
  let n = i;
  while (performance.now() < end) {
    const [kind, bytes, want] = malformed[n++ % malformed.length];
    const got = await rawRequest(bytes);
    counts.malformed++;
    if (got === want) counts.malformedAsExpected++;
    const k = (counts.malformedByKind[kind] ||= { n: 0, status: {} });
    k.n++;
    k.status[got] = (k.status[got] || 0) + 1;
    if (got !== want) error(`malformed (${kind}): ${got || 'no answer'}, expected ${want}`);
  }
}
await Promise.all([...Array.from({ length: C }, (_, i) => client(i)), ...Array.from({ length: M }, (_, i) => garbage(i)), ...streams]);
const loadSeconds = (performance.now() - t0) / 1000;
const atEnd = status();
await sleep(AFTER * 1000);
clearInterval(sampler);
const final = status();
// The server must still answer.
const alive = await get('/', false).then((r) => r.status === 200, () => false);
if (!alive) error('the server does not answer after the load');
server.kill('SIGINT');

// Report.
for (const s of samples) s.t = Math.round((s.at - t0) / 1000);
// The sample nearest to `t` seconds after the start of the load (a busy machine delays timers).
const nearest = (t) => samples.reduce((best, s) => (Math.abs((s.at - t0) / 1000 - t) < Math.abs((best.at - t0) / 1000 - t) ? s : best));
const during = samples.filter((s) => s.t >= 1 && s.t <= Math.round(loadSeconds));
const at = (t) => nearest(t).rss;
const maxOf = (a, b) => Math.max(...during.filter((s) => s.t >= a && s.t <= b).map((s) => s.rss));
const last = Math.round(loadSeconds);
const early = maxOf(5, 10);
const late = maxOf(last - 4, last);
const after5 = at(loadSeconds + 5);
const mb = (x) => `${Math.round(x)} MB`;
const plateau = late <= early * 1.1;
const released = after5 <= idle.rss * 1.5;
console.log(`load: ${loadSeconds.toFixed(1)} s, ${C} clients (${Math.round(C * CHURN)} with a new connection per request), ${S} SSE, ${M} malformed loops`);
console.log(`requests: ${counts.requests} (${Math.round(counts.requests / loadSeconds)}/s), by status ${JSON.stringify(counts.byStatus)}`);
console.log(`errors: ${counts.errors}${errorSamples.length ? ` — ${errorSamples.join('; ')}` : ''}`);
console.log(`SSE: ${counts.sse} of ${S} got «hello», ${counts.sseErrors} failed`);
console.log(`malformed: ${counts.malformed}, answered as expected: ${counts.malformedAsExpected}; ${Object.entries(counts.malformedByKind).map(([k, v]) => `${k} ${JSON.stringify(v.status)}`).join(', ')}`);
console.log(`RSS: idle ${mb(idle.rss)} (${idle.threads} threads), after 5 s ${mb(at(5))}, max ${mb(Math.max(...during.map((s) => s.rss)))}, at the end ${mb(atEnd.rss)} (${atEnd.threads} threads), 5 s after the clients left ${mb(after5)}, ${AFTER} s after ${mb(final.rss)} (${final.threads} threads)`);
console.log(`RSS per second (MB): ${samples.map((s) => Math.round(s.rss)).join(' ')}`);
console.log(`of which transparent huge pages (MB): ${samples.map((s) => Math.round(s.huge)).join(' ')}`);
console.log(`threads per second: ${samples.map((s) => s.threads).join(' ')}`);
console.log(`verdict: ${plateau ? 'plateau' : 'GROWS'} (max of the last 5 s ${mb(late)} against max of seconds 5–10 ${mb(early)}, tolerance 10 %); ${released ? 'released' : 'NOT RELEASED'} (5 s after: ${mb(after5)} against idle ${mb(idle.rss)}, tolerance 50 %); errors ${counts.errors === 0 ? 'none' : counts.errors}`);
await new Promise((ok) => (server.exitCode !== null ? ok() : server.on('exit', ok)));
process.exit(plateau && released && counts.errors === 0 ? 0 : 1);
