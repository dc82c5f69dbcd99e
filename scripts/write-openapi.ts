/** Writes the OpenAPI document the app serves at /openapi.json to openapi/openapi.json (npm run openapi). */
import { writeFile } from 'node:fs/promises';
import { buildApp } from '../src/app.js';

export async function openapiDocument(): Promise<string> {
  const app = await buildApp({ metrics: false });
  await app.ready();
  const doc = `${JSON.stringify(app.swagger(), null, 2)}\n`;
  await app.close();
  return doc;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const target = new URL('../openapi/openapi.json', import.meta.url);
  await writeFile(target, await openapiDocument());
  process.stdout.write(`wrote ${target.pathname}\n`);
}
