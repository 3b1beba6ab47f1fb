/**
 * How long the agent waits before dialling Paddock again: exponential from `minMs`, capped at
 * `maxMs`, and "equal jitter" (half fixed, half random) so that the agents of many clusters
 * cut off by one Paddock restart do not all come back in the same instant, while none comes
 * back sooner than half the step.
 */
export function reconnectDelayMs(
  attempt: number,
  minMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, minMs * 2 ** Math.min(Math.max(attempt, 0), 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
