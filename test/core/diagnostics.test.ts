import t from 'tap';
import { ScheduleStats } from '../../src/core/diagnostics.js';
import { ExecutionEnv } from '../../src/core/environment.js';
import { evaluate } from '../../src/core/evaluation.js';
import { policyFromName } from '../../src/core/evaluation-policies.js';
import { RegimeLiquidityMarket } from '../../src/core/scenarios/regime-liquidity.js';

t.test('by hand: TWAP paths are constant, a dump is front-loaded', async (t) => {
  const twap = new ScheduleStats();
  const dump = new ScheduleStats();
  for (let e = 0; e < 5; e++) {
    twap.add([1, 0.75, 0.5, 0.25, 0]);
    dump.add([1, 0, 0, 0, 0]);
  }
  t.match(twap.result(), { firstSliceShare: 0.25, frontLoadShare: 0.25, dispersion: 0, flags: ['constant-schedule'] });
  t.match(dump.result(), { firstSliceShare: 1, flags: ['front-loaded', 'constant-schedule'] });
  const adaptive = new ScheduleStats();
  adaptive.add([1, 0.9, 0.5, 0.2, 0]);
  adaptive.add([1, 0.6, 0.5, 0.3, 0]);
  t.same(adaptive.result().flags, [], 'paths that differ across episodes and do not dump pass');
});

t.test('the harness flags a dump and a fixed schedule, not the adaptive oracle', async (t) => {
  const createEnv = () => new ExecutionEnv(new RegimeLiquidityMarket({}), {});
  const market = createEnv().market;
  const report = evaluate({
    createEnv,
    policies: [policyFromName('twap', market), policyFromName('oracle', market), { name: 'dump', type: 'dump', propose: (order) => order.remaining }],
    episodes: 300,
  });
  t.same(report.schedules.dump.flags, ['front-loaded', 'constant-schedule']);
  t.same(report.schedules.twap.flags, ['constant-schedule']);
  t.same(report.schedules.oracle.flags, [], `oracle dispersion ${report.schedules.oracle.dispersion}`);
});
