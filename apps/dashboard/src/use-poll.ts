import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

/** What {@link usePoll} gives a page. */
export interface Polled<T> {
  data: T | undefined;
  error: string | undefined;
  /** Loads again now (after an action changed what the page shows). */
  reload: () => void;
}

/**
 * Loads `load()` now and every `intervalMs` while the tab is visible: a
 * hidden tab polls nothing, so an admin page left open in the background
 * costs the proxy nothing either. A call never overlaps the previous one.
 */
export function usePoll<T>(
  load: () => Promise<T>,
  intervalMs: number,
  deps: unknown[] = [],
): Polled<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [tick, setTick] = useState(0);
  const busy = useRef(false);
  const reload = useCallback(() => setTick(t => t + 1), []);

  // `load` is rebuilt each render: `deps` name what it reads.
  useEffect(() => {
    let alive = true;
    const run = async () => {
      if (busy.current || document.hidden) return;
      busy.current = true;
      try {
        const value = await load();
        if (alive) {
          setData(value);
          setError(undefined);
        }
      } catch (e) {
        if (alive) setError(e instanceof Error ? e.message : String(e));
      } finally {
        busy.current = false;
      }
    };
    void run();
    const timer = intervalMs > 0 ? setInterval(run, intervalMs) : undefined;
    const onVisible = () => {
      if (!document.hidden) void run();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      alive = false;
      if (timer !== undefined) clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [intervalMs, tick, ...deps]);

  return { data, error, reload };
}
