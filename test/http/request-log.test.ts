import t from 'tap';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { pino } from 'pino';
import { Writable } from 'node:stream';
import { AppLogController, requestLog } from '../../src/http/request-log.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({ write: (chunk, _enc, done) => { lines.push(JSON.parse(String(chunk))); done(); } });
  return { lines, log: pino({ level: 'info' }, stream) };
}

/** Only what requestLog reads of a request: its id and its server's logger. */
const requestOn = (log: unknown, id: string) => ({ id, server: { log } }) as unknown as FastifyRequest;
const reply = {} as FastifyReply;

t.test("requestLog writes through the app's logger with the request id", async (t) => {
  const { lines, log } = capture();
  requestLog(requestOn(log, 'r-1')).warn({ probe: 1 }, 'a line');
  t.match(lines, [{ reqId: 'r-1', probe: 1, level: 40, msg: 'a line' }]);
});

t.test("Fastify's lines about a failed answer are written even with per-request logging off", async (t) => {
  const { lines, log } = capture();
  const controller = new AppLogController({ disableRequestLogging: true });
  controller.serializerError(new Error('bad schema'), requestOn(log, 'r-2'), reply, { statusCode: 500 });
  controller.writeHeadError(new Error('headers sent'), requestOn(log, 'r-3'), reply);
  t.match(lines, [
    { reqId: 'r-2', level: 50, statusCode: 500, err: { message: 'bad schema' } },
    { reqId: 'r-3', level: 40, err: { message: 'headers sent' }, msg: 'headers sent' },
  ]);
  controller.incomingRequest(requestOn(log, 'r-4'), reply);
  t.equal(lines.length, 2, 'per-request lines stay off');
});
