// Preloaded into a language server by `node scripts/bench.mjs --fresh N --gc` (`node --import`, which
// leaves V8's code cache valid where a V8 flag such as --trace-gc would not): writes each garbage
// collection of the main thread to stderr as `docksmith-bench-gc <kind> <forced 0|1> <ms> <start>`,
// the start in milliseconds since the epoch, so that the bench can count those inside an open.
import { PerformanceObserver, performance, constants } from 'node:perf_hooks';

const KINDS = new Map([
  [constants.NODE_PERFORMANCE_GC_MINOR, 'minor'],
  [constants.NODE_PERFORMANCE_GC_MAJOR, 'major'],
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL, 'incremental'],
  [constants.NODE_PERFORMANCE_GC_WEAKCB, 'weakcb'],
]);

new PerformanceObserver((list) => {
  let out = '';
  for (const entry of list.getEntries()) {
    const { kind, flags } = entry.detail;
    const forced = flags & constants.NODE_PERFORMANCE_GC_FLAGS_FORCED ? 1 : 0;
    const start = performance.timeOrigin + entry.startTime;
    out += `docksmith-bench-gc ${KINDS.get(kind) ?? kind} ${forced} ${entry.duration.toFixed(3)} ${start.toFixed(3)}\n`;
  }
  process.stderr.write(out);
}).observe({ entryTypes: ['gc'] });
