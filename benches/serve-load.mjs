// Smoke load check of a running `metodist serve` (loopback only; bounded to 5 s):
//
//   metodist serve --port 0 &            # note its address and process id
//   C=200 S=50 node benches/serve-load.mjs http://127.0.0.1:PORT PID
//
// C clients fetch pages, static files, the search export, a 404 and /api/search in a loop with
// keep-alive; S server-sent event connections stay open; one more loop sends malformed
// requests, each of which must get 400. Prints the counts and the server's RSS before/after.

import { readFileSync } from 'node:fs';
import net from 'node:net';

const origin = process.argv[2];
const pid = process.argv[3];
const url = new URL(origin);
if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) throw new Error('loopback addresses only');
const port = Number(url.port);
const clients = Number(process.env.C || 200);
const streams = Number(process.env.S ?? 50);
const paths = ['/', '/vidyaevo/', '/vidyaevo/practices/', '/static/style.css', '/search/meta.json', '/vidyaevo/nope', `/api/search?q=${encodeURIComponent('наставника')}`];
const rss = () => (pid ? Number((readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/) || [])[1]) : NaN);

const sse = [];
for (let i = 0; i < streams; i++) {
  const c = new AbortController();
  sse.push(c);
  fetch(`${origin}/__metodist/events`, { signal: c.signal }).then((r) => r.body.getReader().read()).catch(() => {});
}
let ok = 0;
let bad = 0;
let malformed = 0;
const end = Date.now() + 5000;
async function client() {
  while (Date.now() < end) {
    try {
      const r = await fetch(origin + paths[(ok + bad) % paths.length]);
      await r.arrayBuffer();
      if (r.status === 200 || r.status === 404) ok++;
      else bad++;
    } catch {
      bad++;
    }
  }
}
async function garbage() {
  while (Date.now() < end) {
    await new Promise((done) => {
      const s = net.connect(port, '127.0.0.1', () => s.end('GET /\x01 HTTP/1.1\r\n\r\n'));
      let d = '';
      s.on('data', (x) => (d += x));
      s.on('close', () => {
        if (d.startsWith('HTTP/1.1 400')) malformed++;
        else bad++;
        done();
      });
      s.on('error', () => done());
    });
  }
}
const before = rss();
await Promise.all([...Array.from({ length: clients }, client), garbage()]);
sse.forEach((c) => c.abort());
console.log(`ok ${ok}, errors ${bad}, malformed → 400: ${malformed}, RSS before ${before} kB, after ${rss()} kB`);
