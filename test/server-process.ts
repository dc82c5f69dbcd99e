/** The real server process for tests that need real sockets and signals (src/server.ts under tsx). */
import { spawn } from 'node:child_process';
import type { Test } from 'tap';

const root = new URL('..', import.meta.url).pathname;

/** Starts the server with exactly `env`; it is killed on teardown if a failing test leaves it running. */
export function spawnServer(t: Test, env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const listening = new Promise<number>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearInterval(timer);
        resolve(Number(m[1]));
      }
    }, 50);
    void exited.then(() => {
      clearInterval(timer);
      reject(new Error(`exited before listening: ${out}`));
    });
  });
  listening.catch(() => {}); // a test that expects an exit never awaits it
  return { child, exited, listening, output: () => out };
}
