import { fuzz, largeFrames, slowestMedian } from './fuzz-engine.js';
const f = largeFrames()[3];
const med = () => slowestMedian([{ input: f, ns: 0 }], 15).ns / 1000;
console.log('fresh', med(), med(), med());
fuzz({ seed: 1, count: 120000, timeLimitMs: 18000 });
console.log('after fuzz', med(), med(), med());
