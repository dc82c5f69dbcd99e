/**
 * HTTP decision throughput and latency next to the HTTP ceiling, measured in one run (issue #10).
 * Usage: npm run bench:http [-- --duration 10 --loaded-rounds 5 --connections 50 --warmup 3 --policies twap,almgren-chriss,vwap,dqn
 *                              --one-requests 4000 --rounds 3 --variants on|off --pin on|off
 *                              --ceiling-bodies each|twap --dqn-model DIR]
 *
 * Each server runs in its own child process (bench/http-server.ts) so the load generator (this process) never
 * shares its event loop; with --pin on (the default, where taskset exists) the servers run on cpu 1 and this
 * process on cpu 0, so the two never take turns on one core. The ceiling is a bare Fastify server with one
 * route validating the same DecisionRequest schema (same ajv options) and returning a constant through the same
 * response schema, fed twap's body (--ceiling-bodies each: also each policy's, and each policy divided by the
 * ceiling fed the same body). The service is buildApp as production runs it (pino at info to /dev/null, no per-request log
 * lines, route metrics, under-pressure). With --variants on, twap is also measured on a service with Fastify's
 * per-request log lines (LOG_REQUESTS=true), on one without route metrics, and on the decision route alone in a
 * bare Fastify (the handler's own cost).
 *
 * 1. autocannon, N connections: a warm-up per target that is not kept, then the measured pass in interleaved
 *    rounds (--loaded-rounds, each duration/rounds seconds), each round starting one target later than the last
 *    (ceiling, twap, ..., then twap, ..., ceiling) so no target always follows the same one; req/s is the mean
 *    over the rounds and the ratio is to the ceiling's from the same rounds. Beside it, each server's CPU time
 *    per request over the same rounds (/proc, user + system) and the ceiling's over the target's ("cpu x"): whether
 *    a throughput ratio is the CPU cost of a request (at saturation it was, within 0.02: docs/BENCHMARKS.md 1a) or
 *    the share of the core a server got.
 * 2. One connection back to back (keep-alive http.Agent, maxSockets 1), each request timed with
 *    process.hrtime: targets interleaved over rounds so drift hits them all alike; p50/p99 in microseconds and
 *    the ratio to the ceiling's.
 * Prints JSON, then a table. Targets: throughput >= 0.85 of the ceiling (dqn >= 0.70); one-connection p50 <=
 * 1.25x and p99 <= 1.5x the ceiling's.
 */
import autocannon from 'autocannon';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { bodyOf, POLICY } from './decision-bodies.js';
import { flag, machine, numberFlag, ratio, summary, table } from './lib.js';

const duration = numberFlag('duration', 10);
const connections = numberFlag('connections', 50);
const warmup = numberFlag('warmup', 3);
const oneRequests = numberFlag('one-requests', 4000);
const rounds = numberFlag('rounds', 3);
const loadedRounds = numberFlag('loaded-rounds', 5);
const policies = flag('policies', 'twap,almgren-chriss,vwap,dqn').split(',').filter(Boolean);
const variants = flag('variants', 'on') !== 'off';
const dqnModel = flag('dqn-model', '');
// The ceiling parses and validates the body it is sent. By default it is fed twap's body and every target is divided
// by it; with --ceiling-bodies each it is also measured with each policy's own body (almgren-chriss's carries four
// more numbers) and each policy is divided by the ceiling fed its body, the twap-body ratio shown beside it.
const ceilingBodies = flag('ceiling-bodies', 'twap');
// Each server on its own core and the load generator on the other: the two no longer take turns on one core, which
// made the same target's throughput move by up to 2x between rounds. --pin off measures them unpinned.
const pin = flag('pin', 'on') !== 'off' && os.cpus().length >= 2 && spawnSync('taskset', ['-V']).status === 0;
if (pin) spawnSync('taskset', ['-a', '-cp', '0', String(process.pid)], { stdio: 'ignore' });


interface Server {
  readonly kind: string;
  readonly port: number;
  readonly dqn: string;
  readonly child: ChildProcess;
}

function startServer(kind: string): Promise<Server> {
  const args = [process.execPath, '--import', 'tsx', 'bench/http-server.ts', kind, ...(dqnModel ? ['--dqn-model', dqnModel] : [])];
  const [command, ...rest] = pin ? ['taskset', '-c', '1', ...args] : args;
  const child = spawn(command, rest, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${kind} server exited with code ${code}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => {
      const { port, dqn } = JSON.parse(line) as { port: number; dqn: string };
      resolve({ kind, port, dqn, child });
    });
  });
}

interface Target {
  readonly name: string;
  readonly server: Server;
  readonly policy: string;
  readonly body: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** One POST; resolves with the status, the body and the elapsed microseconds. */
function post(target: Target): Promise<{ status: number; body: string; us: number }> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const req = http.request(
      {
        agent, host: '127.0.0.1', port: target.server.port, path: '/v1/decisions', method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(target.body) },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, us: Number(process.hrtime.bigint() - t0) / 1e3 }));
      },
    );
    req.on('error', reject);
    req.end(target.body);
  });
}

async function oneConnection(target: Target, n: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = await post(target);
    if (r.status !== 200) throw new Error(`${target.name}: status ${r.status} ${r.body}`);
    samples.push(r.us);
  }
  return samples;
}

function cannon(target: Target, seconds: number) {
  return autocannon({
    url: `http://127.0.0.1:${target.server.port}/v1/decisions`,
    connections,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: target.body,
  });
}

/**
 * A server's CPU time so far (user + system, microseconds) from /proc: CPU per request separates what a request
 * costs from how much of the core the server was given, which requests/s mixes.
 */
const TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
function serverCpuUs(server: Server): number {
  try {
    const fields = readFileSync(`/proc/${server.child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / TICKS_PER_SECOND;
  } catch {
    return Number.NaN; // no /proc (not Linux): the figure is left out
  }
}

const kinds = ['ceiling', 'service', ...(variants ? ['service-requestlog', 'service-nometrics', 'route-only'] : [])];
const servers = new Map<string, Server>();
for (const kind of kinds) servers.set(kind, await startServer(kind));
const service = servers.get('service')!;
const skipped: Record<string, string> = {};

const targets: Target[] = [];
const ceiling: Target = { name: 'ceiling', server: servers.get('ceiling')!, policy: 'twap', body: bodyOf('twap') };
/** The ceiling each target is divided by (the twap-body one unless --ceiling-bodies each gives its own). */
const ceilingOf = new Map<string, Target>();
const ceilings: Target[] = [ceiling];
for (const policy of policies) {
  if (!POLICY[policy]) throw new RangeError(`--policies: unknown policy "${policy}"`);
  if (policy === 'dqn' && service.dqn === 'none') {
    skipped.dqn = 'models/default does not exist yet (no trained default model); pass --dqn-model DIR to measure one';
    continue;
  }
  targets.push({ name: policy, server: service, policy, body: bodyOf(policy) });
  if (ceilingBodies === 'each' && policy !== 'twap') {
    // The ceiling answers its constant (policy twap) whatever body it validated.
    const own: Target = { name: `ceiling, ${policy} body`, server: ceiling.server, policy: 'twap', body: bodyOf(policy) };
    ceilings.push(own);
    ceilingOf.set(policy, own);
  }
}
if (variants) {
  targets.push({ name: 'twap, with request log lines (LOG_REQUESTS=true)', server: servers.get('service-requestlog')!, policy: 'twap', body: bodyOf('twap') });
  targets.push({ name: 'twap, metrics off', server: servers.get('service-nometrics')!, policy: 'twap', body: bodyOf('twap') });
  targets.push({ name: 'twap, route only (bare Fastify)', server: servers.get('route-only')!, policy: 'twap', body: bodyOf('twap') });
}

// Every target answers 200 with the policy asked for before anything is timed.
for (const t of [...ceilings, ...targets]) {
  const r = await post(t);
  const type = (JSON.parse(r.body) as { policy?: { type?: string } }).policy?.type;
  if (r.status !== 200 || type !== t.policy) throw new Error(`${t.name}: status ${r.status}, policy ${type}: ${r.body}`);
}

// 1. Throughput with N connections: every target (the ceiling too) warmed up once, then measured in interleaved
// rounds of duration/rounds seconds, so the machine's drift hits every target alike.
const log = (s: string) => process.stderr.write(`${s}\n`);
type Loaded = { rps: number; p50ms: number; p99ms: number; p999ms: number; non2xx: number; errors: number; perRound: number[]; requests: number; cpuUs: number };
const loaded: Record<string, Loaded> = {};
for (const t of [...ceilings, ...targets]) await cannon(t, warmup); // warm-up, not kept
// Each round starts one target later (ceiling, twap, ... then twap, ..., ceiling): a target's place in the
// round (first after the warm-up, or after the same server has just served another) then hits every target alike.
const rotated = <T>(items: T[], by: number): T[] => items.map((_, i) => items[(i + by) % items.length]);
for (let r = 0; r < loadedRounds; r++) {
  for (const t of rotated([...ceilings, ...targets], r)) {
    const cpuBefore = serverCpuUs(t.server);
    const res = await cannon(t, duration / loadedRounds);
    const cpuUs = serverCpuUs(t.server) - cpuBefore;
    const prev = loaded[t.name];
    const rps = Math.round(res.requests.average);
    // Latency percentiles: the worst round's (autocannon reports whole milliseconds).
    loaded[t.name] = {
      rps: prev ? prev.rps + rps : rps,
      p50ms: Math.max(prev?.p50ms ?? 0, res.latency.p50),
      p99ms: Math.max(prev?.p99ms ?? 0, res.latency.p99),
      p999ms: Math.max(prev?.p999ms ?? 0, res.latency.p99_9),
      non2xx: (prev?.non2xx ?? 0) + res.non2xx,
      errors: (prev?.errors ?? 0) + res.errors,
      perRound: [...(prev?.perRound ?? []), rps],
      requests: (prev?.requests ?? 0) + res.requests.total,
      cpuUs: (prev?.cpuUs ?? 0) + cpuUs,
    };
  }
  log(`loaded round ${r + 1}/${loadedRounds} done`);
}
for (const l of Object.values(loaded)) l.rps = Math.round(l.rps / loadedRounds);
const ceilingRps = loaded.ceiling.rps;
const cpuPerRequest = (l: Loaded) => Number((l.cpuUs / l.requests).toFixed(2));

// 2. One connection, back to back, interleaved rounds.
const one = new Map<string, number[]>();
for (const t of [...ceilings, ...targets]) {
  await oneConnection(t, Math.ceil(oneRequests / 4)); // warm-up, not kept
  one.set(t.name, []);
}
for (let r = 0; r < rounds; r++) {
  for (const t of rotated([...ceilings, ...targets], r)) one.get(t.name)!.push(...(await oneConnection(t, Math.ceil(oneRequests / rounds))));
  log(`one-connection round ${r + 1}/${rounds} done`);
}
const oneCeiling = summary(one.get('ceiling')!);

const results = targets.map((t) => {
  const own = ceilingOf.get(t.policy) ?? ceiling;
  const ownRps = loaded[own.name].rps;
  const ownOne = summary(one.get(own.name)!);
  const l = loaded[t.name];
  const s = summary(one.get(t.name)!);
  const rpsRatio = ratio(l.rps, ownRps);
  const rpsTarget = t.policy === 'dqn' ? 0.7 : 0.85;
  return {
    target: t.name,
    ceiling: own.name,
    loaded: {
      ...l, ceilingRps: Math.round(ownRps), ratioToCeiling: rpsRatio, goal: rpsTarget, met: rpsRatio >= rpsTarget,
      ratioToTwapBodyCeiling: ratio(l.rps, ceilingRps),
      // Server CPU per request, and the ceiling's over this target's: the share of the ceiling's throughput a
      // saturated server would reach if CPU were all it was short of.
      serverCpuUsPerRequest: cpuPerRequest(l),
      ceilingCpuUsPerRequest: cpuPerRequest(loaded[own.name]),
      cpuRatio: ratio(cpuPerRequest(loaded[own.name]), cpuPerRequest(l)),
    },
    oneConnection: {
      p50us: s.p50, p99us: s.p99, p999us: s.p999, n: s.n,
      ceilingP50us: ownOne.p50, ceilingP99us: ownOne.p99,
      p50Ratio: ratio(s.p50, ownOne.p50), p99Ratio: ratio(s.p99, ownOne.p99),
      met: s.p50 / ownOne.p50 <= 1.25 && s.p99 / ownOne.p99 <= 1.5,
    },
  };
});

const report = {
  bench: 'http',
  machine: machine(),
  settings: { duration, warmup, connections, loadedRounds, oneRequests, rounds, policies, variants, ceilingBodies, pinned: pin ? 'servers on cpu 1, load generator on cpu 0' : 'no' },
  dqnModel: service.dqn,
  skipped,
  ceiling: { loaded: loaded.ceiling, oneConnection: oneCeiling },
  ceilingsByBody: Object.fromEntries(ceilings.map((c) => [c.name, { loaded: loaded[c.name], oneConnection: summary(one.get(c.name)!) }])),
  results,
};
process.stdout.write(`${JSON.stringify(report, null, 2)}\n\n`);
process.stdout.write(
  `${table([
    ...ceilings.map((c) => {
      const o = summary(one.get(c.name)!);
      return { target: c.name, 'req/s': loaded[c.name].rps, 'x ceil': 1, 'x twap-body ceil': ratio(loaded[c.name].rps, ceilingRps), 'cpu us/req': cpuPerRequest(loaded[c.name]), 'cpu x': 1, 'p50 ms': loaded[c.name].p50ms, 'p99 ms': loaded[c.name].p99ms, '1c p50 us': o.p50, '1c p99 us': o.p99, 'p50 x': 1, 'p99 x': 1, met: '' };
    }),
    ...results.map((r) => ({
      target: r.target, 'req/s': r.loaded.rps, 'x ceil': r.loaded.ratioToCeiling, 'x twap-body ceil': r.loaded.ratioToTwapBodyCeiling, 'cpu us/req': r.loaded.serverCpuUsPerRequest, 'cpu x': r.loaded.cpuRatio, 'p50 ms': r.loaded.p50ms, 'p99 ms': r.loaded.p99ms,
      '1c p50 us': r.oneConnection.p50us, '1c p99 us': r.oneConnection.p99us, 'p50 x': r.oneConnection.p50Ratio,
      'p99 x': r.oneConnection.p99Ratio, met: `${r.loaded.met ? 'yes' : 'NO'}/${r.oneConnection.met ? 'yes' : 'NO'}`,
    })),
  ])}\n`,
);
for (const [k, why] of Object.entries(skipped)) process.stdout.write(`skipped ${k}: ${why}\n`);

agent.destroy();
for (const s of servers.values()) s.child.kill('SIGTERM');
