// `metodist serve` started on a free port of 127.0.0.1 for the browser tests and the load
// benchmark: resolves once the server prints its address.

import { spawn } from 'node:child_process';

/**
 * Runs `<binary> serve --port 0 --root <root>`; resolves to {server, origin, log()} when the
 * address is printed (origin = «http://127.0.0.1:PORT»), rejects with the server's output if it
 * exits first or does not start within `timeoutMs`.
 */
export function startServe(binary, root, { timeoutMs = 60000 } = {}) {
  const server = spawn(binary, ['serve', '--port', '0', '--root', root], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => {
      server.kill('SIGINT');
      fail(new Error(`serve did not start within ${timeoutMs / 1000} s:\n${log}`));
    }, timeoutMs);
    server.stderr.setEncoding('utf8');
    server.stderr.on('data', (chunk) => {
      log += chunk;
      const m = log.match(/сайт: (http:\/\/127\.0\.0\.1:\d+)\//);
      if (m) {
        clearTimeout(timer);
        ok({ server, origin: m[1], log: () => log });
      }
    });
    server.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`serve exited with ${code}:\n${log}`));
    });
  });
}
