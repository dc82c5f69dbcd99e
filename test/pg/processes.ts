/** Spawns API replicas and workers as real processes (as an operator runs them) and reads their JSON logs. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';
import { TEST_URL } from './helpers.js';

export const TOKEN = 'test-admin-token-0123456789';
export const auth = { authorization: `Bearer ${TOKEN}` };

export interface Proc {
  readonly name: string;
  readonly child: ChildProcess;
  /** http://127.0.0.1:port for an API replica. */
  readonly base: string;
  readonly logs: string[];
}

const root = new URL('../../', import.meta.url).pathname;

/** Starts `entry` with the shared settings and waits for the log line that says it is up. */
export async function startProcess(t: Test, name: string, entry: 'src/server.ts' | 'src/worker.ts', schema: string, env: Record<string, string> = {}): Promise<Proc> {
  const dataDir = mkdtempSync(join(tmpdir(), `ess-${name}-`));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: TEST_URL,
      DATABASE_SCHEMA: schema,
      PORT: '0',
      HOST: '127.0.0.1',
      ADMIN_TOKEN: TOKEN,
      ADMIN_RATE_LIMIT: '100000',
      DATA_DIR: dataDir,
      MODELS_DIR: join(dataDir, 'no-models'),
      MAX_EVENT_LOOP_DELAY_MS: '0',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const logs: string[] = [];
  // A process that dies on its own is worth seeing: its last lines go into the test output.
  child.on('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGKILL') t.comment(`${name} exited (${code ?? signal}):\n${logs.join('\n').slice(-4000)}`);
  });
  const ready = new Promise<string>((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        logs.push(line);
        const listening = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
        if (listening) resolve(listening[1]!);
        if (line.includes('"worker ready"')) resolve('');
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => logs.push(`stderr: ${chunk.toString()}`));
    child.on('exit', (code, signal) => reject(new Error(`${name} exited (${code ?? signal}) before it was ready:\n${logs.join('\n').slice(-3000)}`)));
  });
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${name} not ready in 60 s:\n${logs.join('\n').slice(-3000)}`)), 60000).unref());
  const base = await Promise.race([ready, timeout]);
  return { name, child, base, logs };
}

export function kill(proc: Proc, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  return new Promise((resolve) => {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) return resolve();
    proc.child.once('exit', () => resolve());
    proc.child.kill(signal);
  });
}

export async function call(proc: Proc, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${proc.base}${path}`, {
    method,
    headers: { ...auth, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}
