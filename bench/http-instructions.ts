/**
 * `npm run bench:http-instructions`: user-space instructions per /v1/decisions request, counted by Valgrind's
 * callgrind, for the servers of bench/http.ts (the ceiling, the service, the decision route alone).
 *
 * Why: on these machines the CPU time of the same request moves by 2x between minutes (docs/BENCHMARKS.md), so a
 * change worth 3% cannot be seen in requests/s or CPU time without hours of rounds. An instruction count is
 * repeatable to about 1% and blind to the machine's noise. It leaves out the kernel's share (the socket write and
 * read, the same for every server), so its ratios are lower than the throughput ratios bench:http measures.
 *
 * How: each server runs under callgrind with instrumentation off (`--instr-atstart=no`) and V8 on one thread
 * (`--single-threaded`: compilation and GC on the main thread, in order, so a run is repeatable); it is warmed up
 * with `--warmup` x `--requests` requests, then instrumentation is switched on for `--requests` requests (8 at a
 * time over keep-alive connections) and off again. Reported per request: the main thread's instructions, those
 * in V8's optimizing compiler (still compiling under Valgrind's slowness, which a real run has finished after its
 * warm-up; left out of the ratio), those in event-loop-delay histograms driven by timers (per second, not per
 * request: inflated ~50x by Valgrind's slowness; left out too), and the rest, divided into the ceiling's (the
 * garbage collector's share of the rest shown beside it). Every server keeps one tick object alive (bench/keep-tick-object.ts says why).
 *
 * Usage: npm run bench:http-instructions -- [--kinds ceiling,route-only,service] [--policy twap]
 *        [--requests 4000] [--warmup 4] [--parallel 1] [--cache-sim off|on]
 * Needs valgrind (Debian: apt-get install valgrind); ~75 s per server, one at a time by default: an instruction
 * count should not depend on what else runs, but the service's does, through wall time. On 2026-12-05 (2 cores,
 * two servers under Valgrind plus the load generator) the service counted 174k-183k instructions per request in
 * both runs with --parallel 2, 33k-39k of them scavenges of cons strings, and 136k in both runs alone (GC 0.6k;
 * the log held no line from the requests). Left unexplained; --parallel 2 halves the time.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { bodyOf, POLICY } from './decision-bodies.js';
import { flag, machine, numberFlag, ratio } from './lib.js';

const kinds = flag('kinds', 'ceiling,route-only,service').split(',').filter(Boolean);
const policy = flag('policy', 'twap');
const requests = numberFlag('requests', 4000);
const warmup = numberFlag('warmup', 4);
const parallel = numberFlag('parallel', 1);
// --cache-sim on: Valgrind also simulates the caches and branch predictors (about 2x slower) and the report adds
// each server's misses per request, main thread, compiler included: what instructions alone do not show.
const cacheSim = flag('cache-sim', 'off') === 'on';
/** Simulated events reported per request with --cache-sim on (callgrind's names: I1/D1 read misses, conditional
 * and indirect branch mispredictions). */
const SIMULATED = ['I1mr', 'D1mr', 'D1mw', 'Bcm', 'Bim'] as const;

if (spawnSync('valgrind', ['--version']).status !== 0 || spawnSync('callgrind_control', ['-h']).error) {
  process.stdout.write('skipped: valgrind (callgrind) is not installed; Debian: apt-get install valgrind\n');
  process.exit(0);
}

if (!POLICY[policy]) throw new RangeError(`--policy: unknown policy "${policy}"`);
const body = bodyOf(policy);

/** Answers other than 200, by status code (a count is only comparable when its window has none). */
type Non200 = Record<number, number>;

/** n POSTs, 8 in flight; resolves with the answers that were not 200, by status. */
async function load(port: number, n: number): Promise<Non200> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  let left = n;
  const failed: Non200 = {};
  const one = () =>
    new Promise<number>((resolve, reject) => {
      const req = http.request(
        { agent, host: '127.0.0.1', port, path: '/v1/decisions', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => res.resume().on('end', () => resolve(res.statusCode ?? 0)),
      );
      req.on('error', reject);
      req.end(body);
    });
  const worker = async () => {
    while (left-- > 0) {
      const status = await one();
      if (status !== 200) failed[status] = (failed[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  agent.destroy();
  return failed;
}

const control = (pid: number, ...args: string[]) => spawnSync('callgrind_control', [...args, String(pid)], { stdio: 'ignore' });

interface Count {
  kind: string; total: number; compiler: number; gc: number; timer: number; rest: number; warmupNon200: Non200; countedNon200: Non200;
  simulated?: Record<string, number>;
}

async function count(kind: string): Promise<Count> {
  const dir = mkdtempSync(join(tmpdir(), `callgrind-${kind}-`));
  const child = spawn(
    'valgrind',
    [
      '--tool=callgrind', ...(cacheSim ? ['--cache-sim=yes', '--branch-sim=yes'] : []), '--instr-atstart=no', '--smc-check=all-non-file', '--separate-threads=yes',
      `--callgrind-out-file=${join(dir, 'cg.out')}`,
      // The young generation at its loaded size from the start: V8 shrinks it when the process looks idle (as one
      // under Valgrind does between warm-up and measurement), and a small one multiplies the scavenges.
      process.execPath, '--single-threaded', '--min-semi-space-size=16', '--max-semi-space-size=16',
      // See bench/keep-tick-object.ts: without it the count measures a slow path Valgrind's timing provokes.
      '--import', 'tsx', '--import', './bench/keep-tick-object.ts', 'bench/http-server.ts', kind,
      // Under Valgrind the event loop is ~50x slower: the service's back-pressure check must not answer 503, and
      // its slow-request warning (250 ms) must not be what is counted.
      '--max-event-loop-delay-ms', '600000', '--slow-request-ms', '600000',
    ],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const { port } = await new Promise<{ port: number }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${kind} server exited with code ${code}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line) as { port: number }));
  });
  const pid = child.pid!;
  const warmupNon200 = await load(port, requests * warmup);
  control(pid, '-i', 'on');
  const countedNon200 = await load(port, requests);
  control(pid, '-i', 'off');
  control(pid, '-d');
  child.removeAllListeners('exit');
  await new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
  // The dump of the main thread (thread 1) holds what ran between -i on and -i off.
  const file = readdirSync(dir).find((f) => /^cg\.out\.\d+-0*1$/.test(f));
  if (!file) throw new Error(`${kind}: no callgrind dump in ${dir}`);
  const annotated = spawnSync('callgrind_annotate', ['--threshold=100', join(dir, file)], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout;
  // With --cache-sim on each line holds every event in the order of "Events shown"; Ir comes first either way.
  let simulated: Record<string, number> | undefined;
  if (cacheSim) {
    const events = /Events shown:\s*(.*)/.exec(annotated)?.[1].trim().split(/\s+/) ?? [];
    const totals = annotated.split('\n').find((l) => l.includes('PROGRAM TOTALS'));
    const values = [...(totals ?? '').matchAll(/([\d,]+) \(/g)].map((m) => Number(m[1].replaceAll(',', '')));
    simulated = Object.fromEntries(SIMULATED.map((e) => [e, Math.round((values[events.indexOf(e)] ?? NaN) / requests)]));
  }
  let total = 0;
  let compiler = 0;
  let gc = 0;
  for (const line of annotated.split('\n')) {
    const m = /^\s*([\d,]+)\s+\([^)]*\)\s+(.*)$/.exec(line);
    if (!m) continue;
    const ir = Number(m[1].replaceAll(',', ''));
    if (m[2].includes('PROGRAM TOTALS')) total = ir;
    else if (/compiler::|maglev|turboshaft/i.test(m[2])) compiler += ir;
    else if (/Scaveng|Sweeper|MarkCompact|Marking|Evacuat|Heap::|heap::/.test(m[2])) gc += ir;
  }
  // Event-loop-delay histograms (under-pressure's, prom-client's) are recorded by a 10 ms timer and read and reset by
  // a 1 s one: per second, not per request. Under Valgrind a second holds ~50x fewer requests than a real one, so
  // their per-request share is inflated as much (~3,000 instructions of the service's, the reset's memset included):
  // counted inclusive of node's histogram entry points and left out of the ratio, like the compiler.
  const inclusive = spawnSync('callgrind_annotate', ['--inclusive=yes', '--threshold=100', join(dir, file)], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout;
  let timer = 0;
  for (const line of inclusive.split('\n')) {
    const m = /^\s*([\d,]+)\s+\([^)]*\)\s+(.*)$/.exec(line);
    if (m && /node::HistogramImpl::|node::IntervalHistogram::/.test(m[2])) timer += Number(m[1].replaceAll(',', ''));
  }
  return { kind, total: total / requests, compiler: compiler / requests, gc: gc / requests, timer: timer / requests, rest: (total - compiler - timer) / requests, warmupNon200, countedNon200, simulated };
}

const counts = new Map<string, Count>();
const queue = [...kinds];
await Promise.all(
  Array.from({ length: Math.min(parallel, kinds.length) }, async () => {
    for (let kind = queue.shift(); kind; kind = queue.shift()) {
      process.stderr.write(`counting ${kind} ...\n`);
      counts.set(kind, await count(kind));
    }
  }),
);

const ceiling = counts.get('ceiling');
const rows = kinds.map((k) => counts.get(k)!);
const report = {
  machine: machine(),
  command: `npm run bench:http-instructions -- ${process.argv.slice(2).join(' ')}`.trim(),
  policy,
  requests,
  warmup: requests * warmup,
  servers: rows.map((r) => ({
    kind: r.kind,
    instructionsPerRequest: Math.round(r.total),
    compilerPerRequest: Math.round(r.compiler),
    gcPerRequest: Math.round(r.gc),
    histogramTimersPerRequest: Math.round(r.timer),
    restPerRequest: Math.round(r.rest),
    ceilingOverThis: ceiling ? ratio(ceiling.rest, r.rest) : undefined,
    non200Counted: r.countedNon200,
    non200Warmup: r.warmupNon200,
    ...(r.simulated ? { simulatedPerRequest: r.simulated } : {}),
  })),
};
process.stdout.write(`${JSON.stringify(report, null, 2)}\n\n`);
const pad = (s: string | number, n: number) => String(s).padEnd(n);
process.stdout.write(`${pad('server', 12)}${pad('Ir/req', 10)}${pad('compiler', 10)}${pad('timers', 10)}${pad('rest', 10)}${pad('of it GC', 10)}${pad('ceiling/rest', 14)}non-200 counted / warm-up\n`);
for (const s of report.servers) {
  process.stdout.write(`${pad(s.kind, 12)}${pad(s.instructionsPerRequest, 10)}${pad(s.compilerPerRequest, 10)}${pad(s.histogramTimersPerRequest, 10)}${pad(s.restPerRequest, 10)}${pad(s.gcPerRequest, 10)}${pad(s.ceilingOverThis ?? '', 14)}${JSON.stringify(s.non200Counted)} / ${JSON.stringify(s.non200Warmup)}\n`);
}
if (cacheSim) {
  process.stdout.write(`\nper request, main thread (compiler and timers included): ${SIMULATED.join(' ')}\n`);
  for (const s of report.servers) process.stdout.write(`${pad(s.kind, 12)}${SIMULATED.map((e) => pad(s.simulatedPerRequest?.[e] ?? '', 10)).join('')}\n`);
}
