/** The command-line progress bar: drawn with rate and time left on a terminal, nothing at all elsewhere. */
import { Writable } from 'node:stream';
import t from 'tap';
import { terminalProgressBar } from '../../src/cli/progress.js';

function stream(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  let out = '';
  const s = new Writable({
    write(chunk, _encoding, done) {
      out += String(chunk);
      done();
    },
  });
  return { stream: Object.assign(s, { isTTY, columns: 120 }) as unknown as NodeJS.WriteStream, text: () => out };
}

t.test('on a terminal: bar, count, rate, time left and status; the line ends at stop', async (t) => {
  const tty = stream(true);
  const bar = terminalProgressBar(10, tty.stream);
  bar.update(5, 'loss 0.1');
  bar.update(10);
  bar.stop();
  const out = tty.text();
  t.match(out, /\[#{30}\] 10\/10 [\d.]+\/s, \d+s left loss 0\.1/, 'the last state keeps the last status');
  t.ok(out.endsWith('\n'), 'a newline after the bar');
});

t.test('off a terminal nothing is written: the log stays line-based', async (t) => {
  const file = stream(false);
  const bar = terminalProgressBar(10, file.stream);
  bar.update(10);
  bar.stop();
  t.equal(file.text(), '');
});
