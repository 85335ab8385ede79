// Runs `work` now and every `ms` until the view is left; a failure is reported once per streak, not every tick.
import { report, clearReport } from './alerts.js';

export function every(ms, signal, work) {
  let failing = false;
  const tick = async () => {
    if (signal.aborted) return;
    try {
      await work();
      if (failing) clearReport();
      failing = false;
    } catch (e) {
      if (!failing && !signal.aborted) report(e);
      failing = true;
    }
    if (!signal.aborted) setTimeout(tick, ms);
  };
  return tick();
}
