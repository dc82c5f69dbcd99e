import t from 'tap';
import { doubleDqnTargets } from '../../src/models/training/double-dqn.js';
import { feasibleActions, maskedArgmax } from '../../src/models/serving/masking.js';

t.test('maskedArgmax skips masked actions even when they hold the largest value', async (t) => {
  t.equal(maskedArgmax([5, 9, 7], [true, false, true]), 2);
  t.equal(maskedArgmax([5, 9, 7], [true, true, true]), 1);
  t.equal(maskedArgmax([-3, -1, -2], [true, false, false]), 0, 'only action 0 open');
  t.equal(maskedArgmax([1, 2, 3, 4, 0, 9], [1, 0, 1, 0, 1, 1], 3, 3), 2, 'offset row: values [4,0,9], mask [0,1,1]');
  t.throws(() => maskedArgmax([1, 2], [false, false]), /every action is masked/);
  t.same(feasibleActions([true, false, true, false]), [0, 2]);
});

t.test('Double DQN target on a hand-made batch', async (t) => {
  // 3 transitions, 3 actions, gamma 0.9.
  // row 0: not done; online Q(s') = [1, 5, 3] with action 1 masked -> online argmax is action 2;
  //        target Q(s') = [10, 100, 20] -> y = r + 0.9 * 20 = -1 + 18 = 17
  //        (a plain max over the target would give 100; an unmasked online argmax would pick action 1 -> 89).
  // row 1: done -> y = r = -2.5 whatever the next Q-values.
  // row 2: not done; online Q(s') = [0, 1, 2], all feasible -> action 2; target [7, 8, -4] -> y = 0.5 + 0.9 * -4 = -3.1
  //        (Double DQN uses the target's value of the online choice, not the target's own max 8).
  const y = doubleDqnTargets({
    rewards: [-1, -2.5, 0.5],
    dones: [0, 1, 0],
    nextOnlineQ: [1, 5, 3, 50, 60, 70, 0, 1, 2],
    nextTargetQ: [10, 100, 20, 1, 2, 3, 7, 8, -4],
    nextMasks: [1, 0, 1, 1, 1, 1, 1, 1, 1],
    actionCount: 3,
    gamma: 0.9,
  });
  t.equal(y.length, 3);
  t.ok(Math.abs(y[0] - 17) < 1e-5, `row 0: ${y[0]} = 17`);
  t.ok(Math.abs(y[1] - -2.5) < 1e-6, `row 1: ${y[1]} = -2.5`);
  t.ok(Math.abs(y[2] - -3.1) < 1e-5, `row 2: ${y[2]} = -3.1`);
});

t.test('the target never bootstraps from a masked action', async (t) => {
  // Online prefers action 0 unless masked; only action 3 open besides 0.
  const y = doubleDqnTargets({
    rewards: [0],
    dones: [0],
    nextOnlineQ: [0, 9, 9, 1],
    nextTargetQ: [-5, 1000, 1000, 2],
    nextMasks: [1, 0, 0, 1],
    actionCount: 4,
    gamma: 1,
  });
  t.equal(y[0], 2);
});
