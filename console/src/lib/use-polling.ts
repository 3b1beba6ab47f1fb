/**
 * Re-runs `refetch` every `intervalMs` while `active` and the tab is visible: for state the
 * API has no subscription for (Helm release status, multi-cluster app targets).
 */
import { useEffect, useRef } from 'react';

export function usePolling(refetch: () => void, intervalMs: number, active = true): void {
  const latest = useRef(refetch);
  latest.current = refetch;
  useEffect(() => {
    if (!active) return undefined;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') latest.current();
    }, intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs, active]);
}
