import t from 'tap';
import { NStepAccumulator } from '../../src/models/training/n-step.js';

const step = (i: number, reward: number, done = false) => ({
  state: [i],
  action: i,
  reward,
  nextState: [i + 1],
  done,
  nextMask: [true],
});

t.test('n-step transitions sum n discounted rewards and bootstrap n steps later', async (t) => {
  const acc = new NStepAccumulator(3, 0.5);
  t.same(acc.push(step(0, 1)), []);
  t.same(acc.push(step(1, 2)), []);
  const first = acc.push(step(2, 4));
  // 1 + 0.5*2 + 0.25*4 = 3, from state 0 to state 3
  t.same(first, [{ state: [0], action: 0, reward: 3, nextState: [3], done: false, nextMask: [true] }]);
  const second = acc.push(step(3, 8));
  t.same(second.map((x) => [x.state[0], x.reward, x.nextState[0]]), [[1, 2 + 0.5 * 4 + 0.25 * 8, 4]]);
  // The episode ends: every pending transition completes, ending in the terminal state.
  const last = acc.push(step(4, 16, true));
  t.same(
    last.map((x) => [x.state[0], x.reward, x.nextState[0], x.done]),
    [
      [2, 4 + 0.5 * 8 + 0.25 * 16, 5, true],
      [3, 8 + 0.5 * 16, 5, true],
      [4, 16, 5, true],
    ],
  );
  t.same(acc.push(step(0, 1)), [], 'a new episode starts empty');
});

t.test('n = 1 is one-step learning', async (t) => {
  const acc = new NStepAccumulator(1, 0.9);
  t.same(acc.push(step(0, 5)).map((x) => [x.reward, x.nextState[0]]), [[5, 1]]);
  t.throws(() => new NStepAccumulator(0, 1), /nSteps must be an integer >= 1/);
});
