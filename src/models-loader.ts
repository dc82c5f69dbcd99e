/**
 * The models the service serves at start: every artifact folder under MODELS_DIR. Filled in by the DQN work;
 * until models exist the service serves the baselines and answers dqn requests with 404 (or their fallback).
 */
import { emptyModelSource, type ModelSource } from './plugins/models.js';

export async function loadModelSource(_dir: string): Promise<ModelSource> {
  return emptyModelSource;
}
