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
