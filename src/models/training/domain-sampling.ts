/**
 * Derives a model's domain (domain.ts) from its training distribution: episodes of the training scenario on the
 * training seeds, half played by a seeded random policy over the feasible actions (which wanders as far as
 * training's exploration did) and half by the model itself (the states it reaches when it serves).
 */
import { actionMask, actionProposal } from '../../core/actions.js';
import type { EnvConfig, EnvView } from '../../core/environment.js';
import { deriveSeed, Rng } from '../../core/rng.js';
import { featuresOf, type ObservationSpec } from '../../core/observation.js';
import { DomainFit, type ModelDomain } from '../artifact/domain.js';
import { feasibleActions } from '../serving/masking.js';
import type { ModelMetadata } from '../artifact/metadata.js';
import { envFactory, type ScenarioSpec } from './scenario-env.js';
import type { DqnModel } from '../serving/serving.js';
import { trainingEpisodeSeed } from './trainer.js';

/** Default margin: each sampled range widened by 5% of its width on both sides. */
export const DOMAIN_MARGIN = 0.05;
export const DOMAIN_EPISODES = 2000;

export interface DomainSampling {
  readonly scenario: ScenarioSpec;
  readonly envConfig: EnvConfig;
  readonly spec: ObservationSpec;
  readonly actionSpace: ModelMetadata['actionSpace'];
  readonly seed: number;
  readonly episodes?: number;
  readonly margin?: number;
  /** The model whose own states join the sample (half the episodes). */
  readonly model?: Pick<DqnModel, 'infer'>;
}

export async function sampleDomain(s: DomainSampling): Promise<ModelDomain> {
  const episodes = s.episodes ?? DOMAIN_EPISODES;
  const env = (await envFactory(s.scenario, 'train', { ...s.envConfig, observation: s.spec }))();
  const fit = new DomainFit(featuresOf(s.spec));
  const rng = new Rng(deriveSeed(s.seed, 7));
  const random = (view: EnvView): number => {
    const options = feasibleActions(actionMask(s.actionSpace, view.order, view.market));
    return actionProposal(s.actionSpace, options[Math.floor(rng.uniform() * options.length)], view.order);
  };
  for (let e = 0; e < episodes; e++) {
    const byModel = s.model !== undefined && e % 2 === 1;
    let view = env.reset(trainingEpisodeSeed(s.seed, e));
    for (;;) {
      fit.add(view.order, view.market, view.observation);
      const proposal = byModel ? s.model!.infer(view.order, view.market, view.observation).proposal : random(view);
      const r = env.step(proposal);
      if (r.done) break;
      view = r.view;
    }
  }
  return fit.result(
    {
      scenario: s.scenario.scenario,
      episodes,
      seed: s.seed,
      margin: s.margin ?? DOMAIN_MARGIN,
    },
    env.market.declaredParameters?.(),
  );
}
