/**
 * Keeps a replica's served models in step with the shared registry: every registry change commits with a NOTIFY
 * naming the model, and this replica re-reads that model (RegistryModelSource.refresh loads it completely, then
 * swaps it in atomically). After a lost connection it re-reads every model, since what was notified meanwhile is
 * lost. Refreshes run one after another, so an older read never replaces a newer one.
 */
import type { RegistryModelSource } from '../registry/model-source.js';
import { Listener, type ListenerLogger } from './listener.js';
import { channels } from './sql.js';

export interface RegistrySyncOptions {
  readonly url: string;
  readonly schema: string;
  readonly source: RegistryModelSource;
  readonly log?: ListenerLogger & { error(obj: object, msg?: string): void };
}

export class RegistrySync {
  private chain: Promise<void> = Promise.resolve();
  private readonly listener: Listener;

  constructor(private readonly opts: RegistrySyncOptions) {
    this.listener = new Listener({
      url: opts.url,
      channels: [channels(opts.schema).registry],
      applicationName: 'ess-registry-listener',
      log: opts.log,
      onNotification: (_channel, name) => void this.enqueue(() => opts.source.refresh(name), { model: name }),
      // LISTEN first, then (re)load everything: a change committed in between is then either in what init reads
      // or notified after it, never lost. The same catch-up follows every reconnect.
      onConnect: () => this.enqueue(() => opts.source.init(), { catchUp: true }),
    });
  }

  get connected(): boolean {
    return this.listener.connected;
  }

  private enqueue(work: () => Promise<void>, what: object): Promise<void> {
    const run = this.chain.then(work);
    this.chain = run.catch((err) => this.opts.log?.error({ ...what, err: (err as Error).message }, 'registry refresh failed'));
    return run;
  }

  /** Listens, then loads every model; @throws when the first connection or load fails. */
  start(): Promise<void> {
    return this.listener.start();
  }

  /** Settles once every refresh queued so far is done (tests). */
  idle(): Promise<void> {
    return this.chain;
  }

  async stop(): Promise<void> {
    await this.listener.stop();
    await this.chain;
  }
}
