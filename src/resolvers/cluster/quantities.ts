/** Shares of allocatable capacity, in percent, for the GraphQL capacity fields. */
import type { ResourcePercentages, ResourceTotals } from './common.type.js';

const pct = (part: number, whole: number) =>
  whole > 0 ? Math.round((part / whole) * 10_000) / 100 : null;

export function percentages(part: ResourceTotals, whole: ResourceTotals): ResourcePercentages {
  return {
    cpu: pct(part.cpuMillis, whole.cpuMillis),
    memory: pct(part.memoryBytes, whole.memoryBytes),
    pods: pct(part.pods, whole.pods),
  };
}
