/**
 * Splits by whole session date: every instrument's session of one date lands in one split, so no session (and
 * no day of any instrument) is in two. Train <= trainUntil < validation < testFrom <= test.
 */

export interface SessionSplit {
  readonly train: string[];
  readonly validation: string[];
  readonly test: string[];
}

export interface SplitOptions {
  /** Last training date (YYYY-MM-DD), inclusive. */
  readonly trainUntil?: string;
  /** First test date, inclusive. */
  readonly testFrom?: string;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export function checkDate(flag: string, value: string): string {
  if (!DATE_RE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new RangeError(`${flag} must be a date YYYY-MM-DD, got "${value}"`);
  }
  return value;
}

/** The date of a session id `INSTRUMENT YYYY-MM-DD`. */
export function dateOf(session: string): string {
  return session.slice(session.lastIndexOf(' ') + 1);
}

/**
 * Without options every session is a test session (files no model saw). With trainUntil alone the later
 * sessions are test; with testFrom alone the earlier ones are train; with both the dates between validate.
 * @throws RangeError for malformed dates or trainUntil not before testFrom.
 */
export function splitSessions(sessions: readonly string[], options: SplitOptions = {}): SessionSplit {
  const trainUntil = options.trainUntil !== undefined ? checkDate('--train-until', options.trainUntil) : undefined;
  const testFrom = options.testFrom !== undefined ? checkDate('--test-from', options.testFrom) : undefined;
  if (trainUntil !== undefined && testFrom !== undefined && !(trainUntil < testFrom)) {
    throw new RangeError(`--train-until (${trainUntil}) must be before --test-from (${testFrom})`);
  }
  const split: SessionSplit = { train: [], validation: [], test: [] };
  for (const s of [...sessions].sort()) {
    const d = dateOf(s);
    if (trainUntil === undefined && testFrom === undefined) split.test.push(s);
    else if (trainUntil !== undefined && d <= trainUntil) split.train.push(s);
    else if (testFrom !== undefined && d >= testFrom) split.test.push(s);
    else if (testFrom === undefined) split.test.push(s);
    else if (trainUntil === undefined) split.train.push(s);
    else split.validation.push(s);
  }
  return split;
}

/**
 * Walk-forward folds: each date from the `minTrain`+1-th on is the test date of one fold whose training
 * sessions are all earlier dates (the last earlier date validates when there are at least two).
 */
export function walkForward(sessions: readonly string[], minTrain = 1): SessionSplit[] {
  const dates = [...new Set(sessions.map(dateOf))].sort();
  const folds: SessionSplit[] = [];
  for (let i = minTrain; i < dates.length; i++) {
    const validationDate = i >= 2 ? dates[i - 1] : undefined;
    folds.push({
      train: sessions.filter((s) => dateOf(s) < dates[i] && dateOf(s) !== validationDate).sort(),
      validation: sessions.filter((s) => dateOf(s) === validationDate).sort(),
      test: sessions.filter((s) => dateOf(s) === dates[i]).sort(),
    });
  }
  return folds;
}

const SESSION_IN_NAME = [
  // LOBSTER_SampleFile_AMZN_2012-06-21_5.zip, AMZN_2012-06-21_34200000_57600000_message_5.csv
  /(?:^|\/)(?:LOBSTER_SampleFile_)?([A-Za-z.]+)_(\d{4}-\d{2}-\d{2})(?:[_.][^/]*)?$/,
  // LEAN .../<ticker>/20131007_quote.zip
  /\/([A-Za-z.]+)\/(\d{4})(\d{2})(\d{2})_(?:quote|trade)\.zip$/,
];

/** Session ids a data file's name implies (a model's training files), or undefined when the name says none. */
export function sessionOfFile(file: string): string | undefined {
  const lobster = SESSION_IN_NAME[0].exec(file);
  if (lobster) return `${lobster[1].toUpperCase()} ${lobster[2]}`;
  const lean = SESSION_IN_NAME[1].exec(file);
  if (lean) return `${lean[1].toUpperCase()} ${lean[2]}-${lean[3]}-${lean[4]}`;
  return undefined;
}

/** Sessions a model's metadata says it trained or validated on (recorded, or implied by its data files). */
export function seenSessions(training: { sessions?: { train?: readonly string[]; validation?: readonly string[] }; data?: readonly string[] }): string[] {
  const seen = new Set<string>([...(training.sessions?.train ?? []), ...(training.sessions?.validation ?? [])]);
  for (const f of training.data ?? []) {
    const s = sessionOfFile(f);
    if (s) seen.add(s);
  }
  return [...seen].sort();
}
