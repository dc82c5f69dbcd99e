// Worker-thread bootstrap. Node 20 does not carry the parent's --import loaders (tsx) into worker threads, so a
// .ts entry is loaded through tsx's API here; a compiled .js entry is imported as it is.
import { workerData } from 'node:worker_threads';

const { entry } = workerData;
if (entry.endsWith('.ts')) {
  const { tsImport } = await import('tsx/esm/api');
  await tsImport(entry, import.meta.url);
} else {
  await import(entry);
}
