import t from 'tap';
import { EVALUATION_BASELINES, isModelPolicy, modelPolicyName, modelPolicyTarget, parseModelPolicy } from '../../src/core/policy-ref.js';

t.test('model references parse into model and ref, and format back', async (t) => {
  t.same(parseModelPolicy('dqn:default'), { model: 'default' });
  t.same(parseModelPolicy('dqn:regime@production'), { model: 'regime', ref: 'production' });
  t.same(parseModelPolicy('dqn:a.b@12'), { model: 'a.b', ref: '12' });
  t.equal(parseModelPolicy('twap'), undefined, 'a baseline is no model reference');
  t.equal(parseModelPolicy('pov:0.1'), undefined);
  for (const name of ['dqn:default', 'dqn:a.b@12']) {
    const ref = parseModelPolicy(name)!;
    t.equal(modelPolicyName(ref.model, ref.ref), name, `${name} round-trips`);
  }
});

t.test('the CLI target is everything after the prefix, an @ in a path included', async (t) => {
  t.equal(modelPolicyTarget('dqn:./models/x@2'), './models/x@2');
  t.equal(modelPolicyTarget('vwap'), undefined);
  t.ok(isModelPolicy('dqn:x'));
  t.notOk(EVALUATION_BASELINES.some(isModelPolicy), 'no baseline name looks like a model');
});
