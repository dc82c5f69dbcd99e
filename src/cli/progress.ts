/**
 * The progress bar of the command-line tools, on a terminal only: cli-progress draws it with the rate and the
 * time left, redrawn at most ten times a second however often it is told. Off a terminal the tools draw no bar
 * and write whole log lines of their own, so a redirected log stays line-based.
 */
import cliProgress from 'cli-progress';

export interface ProgressBar {
  /** `done` out of the total so far; `status` is shown after the bar. */
  update(done: number, status?: string): void;
  /** Draws the last state and ends the line. */
  stop(): void;
}

export function terminalProgressBar(total: number, stream: NodeJS.WriteStream = process.stderr): ProgressBar {
  const bar = new cliProgress.SingleBar({
    stream,
    format: '[{bar}] {value}/{total} {rate}/s, {eta_formatted} left {status}',
    barsize: 30,
    barCompleteChar: '#',
    barIncompleteChar: '.',
  });
  const started = performance.now();
  const payload = (done: number, status: string) => ({ rate: (done / Math.max((performance.now() - started) / 1000, 1e-3)).toFixed(1), status });
  bar.start(total, 0, payload(0, ''));
  let status = '';
  return {
    update(done, next = status) {
      status = next;
      bar.update(done, payload(done, status));
    },
    stop: () => bar.stop(),
  };
}
