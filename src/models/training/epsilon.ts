/** Linear epsilon decay over episodes, then flat: explore broadly early, mostly exploit late. */
export interface EpsilonSchedule {
  readonly start: number;
  readonly end: number;
  /** Episodes over which epsilon falls from start to end. */
  readonly decayEpisodes: number;
}

export function epsilonAt(schedule: EpsilonSchedule, episode: number): number {
  if (schedule.decayEpisodes <= 0 || episode >= schedule.decayEpisodes) return schedule.end;
  return schedule.start + ((schedule.end - schedule.start) * episode) / schedule.decayEpisodes;
}

/**
 * The one default exploration schedule, for the admin API and the CLI alike: from 1 to 0.05 over the first half
 * of the job's episodes, then flat (the shipped model's 1,500 of 3,000).
 */
export function defaultEpsilonSchedule(episodes: number): EpsilonSchedule {
  return { start: 1, end: 0.05, decayEpisodes: Math.max(1, Math.round(episodes / 2)) };
}
