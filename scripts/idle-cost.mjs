// What waking up from idle costs on this machine: the same fixed piece of JavaScript (Map work, a few
// ms), run right after other work or after an idle pause of 5-300 ms; the CPU time of the work alone
// (process.cpuUsage), median and quartiles of 40 runs each. On the bench's machine, three runs in one
// day, the same work cost 13-35% more CPU after 150 ms of idle and 40-100% more after 300 ms
// (docs/performance.md, "Edits as users see them"): what every language server pays for a keystroke
// after a pause in the typing.
// Usage: node scripts/idle-cost.mjs
import { setImmediate } from 'node:timers';

const work = () => {
  const map = new Map();
  let sum = 0;
  for (let i = 0; i < 60000; i++) {
    map.set('k' + (i % 5000), i);
    sum += map.get('k' + ((i * 7) % 5000)) ?? 0;
  }
  return sum;
};
for (let i = 0; i < 50; i++) work();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
for (const gap of [0, 5, 50, 150, 300]) {
  const runs = [];
  for (let i = 0; i < 40; i++) {
    if (gap) await sleep(gap);
    else await new Promise((resolve) => setImmediate(resolve));
    const before = process.cpuUsage();
    work();
    const used = process.cpuUsage(before);
    runs.push((used.user + used.system) / 1000);
  }
  runs.sort((a, b) => a - b);
  console.log(
    `idle ${String(gap).padStart(3)} ms before: ${runs[20].toFixed(2)} ms of CPU (quartiles ${runs[10].toFixed(2)}-${runs[30].toFixed(2)})`,
  );
}
