import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Static } from 'typebox';
import { PoliciesResponse } from '../http/schemas.js';

const BASELINES = [
  { type: 'twap', description: 'n_k = q_k / (T - k): equal slices of what is left', deterministic: true },
  { type: 'vwap', description: 'Slices proportional to the expected volume of the remaining steps (U-shaped default or volumeProfile)', deterministic: true },
  { type: 'pov', description: 'n_k = rate x volume, forced at the end', deterministic: true },
  { type: 'almgren-chriss', description: 'Almgren-Chriss (2000) mean-variance optimal trajectory, re-planned each step', deterministic: true },
];

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/policies',
    { schema: { tags: ['decisions'], summary: 'Baselines and deployed models', response: { 200: PoliciesResponse } } },
    // The serializer only reads the listings (their arrays are readonly in the domain's types).
    async () => ({ baselines: BASELINES, models: [...app.models.list()] as Static<typeof PoliciesResponse>['models'] }),
  );
};

export default routes;
