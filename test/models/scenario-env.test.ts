import t from 'tap';
import type { LobReplayMarket } from '../../src/core/scenarios/lob-replay.js';
import { envFactory, marketFactory } from '../../src/models/training/scenario-env.js';

const data = ['test/fixtures/TINY_2012-06-21_message_2.csv', 'test/fixtures/TINY_2012-06-21_orderbook_2.csv'];

t.test('lob-replay trains on the training windows and is evaluated on the test windows only', async (t) => {
  const train = (await marketFactory({ scenario: 'lob-replay', data }, 'train'))() as LobReplayMarket;
  const test = (await marketFactory({ scenario: 'lob-replay', data }, 'test'))() as LobReplayMarket;
  const { horizon, stepSeconds, splitTime } = train.params;
  t.ok(train.episodes.length > 0 && test.episodes.length > 0);
  t.ok(train.episodes.every((e) => e.start + horizon * stepSeconds <= splitTime), 'training windows end by the split');
  t.ok(test.episodes.every((e) => e.start >= splitTime), 'test windows start after it');
  t.equal(train.params.split, 'train');
  t.equal(test.params.split, 'test');
});

t.test('scenario errors are clear and early', async (t) => {
  await t.rejects(marketFactory({ scenario: 'lob-replay' }, 'train'), /lob-replay needs LOBSTER data files/);
  await t.rejects(marketFactory({ scenario: 'regime-liquidity', data }, 'train'), /data files are only for scenarios lob-replay and replay, not regime-liquidity/);
  await t.rejects(marketFactory({ scenario: 'nope' }, 'train'), /unknown scenario "nope"/);
  await t.rejects(marketFactory({ scenario: 'regime-liquidity', params: { rho: 2 } }, 'train'), /rho/);
  const make = await envFactory({ scenario: 'regime-liquidity', params: { horizon: 10 } }, 'train', { reward: 'vwap' });
  const a = make();
  const b = make();
  t.not(a.market, b.market, 'a fresh market per environment (common random numbers need independent instances)');
  t.equal(a.horizon, 10);
  t.equal(a.reward, 'vwap');
});
