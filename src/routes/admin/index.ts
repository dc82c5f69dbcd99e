/**
 * The admin API, in its own encapsulated scope: the bearer-token guard and the rate limit apply to these routes
 * only, never to the trading path.
 */
import type { FastifyPluginAsync } from 'fastify';
import { adminAuth, type AdminAuthOptions } from '../../plugins/admin-auth.js';
import evaluationRoutes from './evaluations.js';
import modelRoutes from './models.js';
import trainingRoutes from './training-jobs.js';

export interface AdminOptions extends AdminAuthOptions {
  /** Minimum paired t-statistic against TWAP for a production promotion without force. */
  readonly promotionMinT: number;
  /** Folders the `data` files of training and evaluation jobs must lie in. */
  readonly dataRoots: readonly string[];
}

const admin: FastifyPluginAsync<AdminOptions> = async (app, opts) => {
  await adminAuth(app, opts);
  await app.register(trainingRoutes, { dataRoots: opts.dataRoots });
  await app.register(modelRoutes, { promotionMinT: opts.promotionMinT });
  await app.register(evaluationRoutes, { dataRoots: opts.dataRoots });
};

export default admin;
