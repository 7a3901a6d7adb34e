import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { clockTicksPerSecond, cpuMsPerSecond, cpuUsage, parseProcStat, readProcCpu } from '../../../load-tests/lib/proc-cpu.js';

/** A node child that burns `cpuMs` of its own CPU time, prints its process.cpuUsage(), then idles. */
async function burner(cpuMs: number, title: string): Promise<{ child: ChildProcess; cpuUs: () => Promise<number> }> {
  const code = `
    process.title = ${JSON.stringify(title)};
    process.stdin.on('data', () => {
      const start = process.cpuUsage();
      let x = 0;
      for (;;) {
        for (let i = 0; i < 1e5; i++) x += i;
        const u = process.cpuUsage(start);
        if ((u.user + u.system) / 1000 >= ${cpuMs}) break;
      }
      const t = process.cpuUsage();
      process.stdout.write(String(t.user + t.system) + '\\n');
    });
    process.stdout.write('ready\\n');
  `;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: string[] = [];
  let waiter: (() => void) | null = null;
  child.stdout!.on('data', (chunk: Buffer) => {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    waiter?.();
  });
  const nextLine = async (): Promise<string> => {
    while (lines.length === 0) await new Promise<void>((resolve) => (waiter = resolve));
    return lines.shift()!;
  };
  expect(await nextLine()).to.equal('ready');
  return {
    child,
    cpuUs: async () => {
      child.stdin!.write('go\n');
      return Number(await nextLine());
    },
  };
}

describe('load proc-cpu', () => {
  describe('parseProcStat', () => {
    it('should read utime and stime (fields 14, 15) past a command name with spaces and parentheses', () => {
      const line = '4242 (we (ird) name) S 1 4242 4242 0 -1 4194560 100 0 0 0 731 129 0 0 20 0 9 0 12345 1000000 5000 18446744073709551615';
      expect(parseProcStat(line)).to.deep.equal({ pid: 4242, utime: 731, stime: 129 });
    });

    it('should refuse text that is not a stat line', () => {
      expect(() => parseProcStat('hello')).to.throw(/not a \/proc\/<pid>\/stat line/);
      expect(() => parseProcStat('12 (x) S 1')).to.throw(/cannot read/);
    });
  });

  describe('cpuUsage', () => {
    it('should turn ticks into seconds and microseconds per request', () => {
      const u = cpuUsage({ pid: 7, utime: 100, stime: 50 }, { pid: 7, utime: 130, stime: 70 }, 10_000, 100);
      expect(u.ticks).to.equal(50);
      expect(u.seconds).to.equal(0.5);
      expect(u.perRequestUs).to.equal(50);
      expect(u.resolution).to.equal(0.02);
      expect(() => cpuUsage({ pid: 7, utime: 0, stime: 0 }, { pid: 8, utime: 0, stime: 0 }, 1)).to.throw(/different processes/);
    });
  });

  describe('cpuMsPerSecond', () => {
    it('should prefer the threads\' on-CPU nanoseconds, else use the ticks', () => {
      const a = { pid: 7, utime: 100, stime: 50, runtimeNs: 1_000_000_000 };
      const b = { pid: 7, utime: 130, stime: 70, runtimeNs: 1_250_000_000 };
      expect(cpuMsPerSecond(a, b, 10, 100)).to.equal(25);
      expect(cpuMsPerSecond({ ...a, runtimeNs: null }, b, 10, 100)).to.equal(50);
      expect(() => cpuMsPerSecond(a, { ...b, pid: 8 }, 10)).to.throw(/different processes/);
      expect(() => cpuMsPerSecond(a, b, 0)).to.throw(/not a duration/);
    });
  });

  describe('a real process', function () {
    this.timeout(20_000);
    let child: ChildProcess | null = null;

    afterEach(async () => {
      if (child && child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    });

    it("should measure a real process's CPU from /proc/<pid>/stat, in line with what the process itself reports", async () => {
      const b = await burner(400, 'lat (cpu) test');
      child = b.child;
      const pid = child.pid!;
      const before = readProcCpu(pid);
      expect(before.pid).to.equal(pid);
      const reportedUs = await b.cpuUs();
      const after = readProcCpu(pid);
      const usage = cpuUsage(before, after, 1000, clockTicksPerSecond());
      // The child burned >= 400 ms of CPU between the two samples; its own total is an upper bound.
      expect(usage.seconds).to.be.at.least(0.38);
      expect(after.utime + after.stime).to.be.at.most(Math.ceil((reportedUs / 1e6) * usage.clockTicksPerSecond) + 2);
      expect(usage.perRequestUs).to.be.closeTo((usage.seconds * 1e6) / 1000, 1e-6);
      expect(usage.schedstatPerRequestUs).to.be.a('number').and.to.be.at.least(380);
    });

    it('should read a process at rest as about nothing, and one burning CPU as what it burned over the window', async () => {
      const b = await burner(300, 'lat rest test');
      child = b.child;
      const pid = child.pid!;
      let before = readProcCpu(pid);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(cpuMsPerSecond(before, readProcCpu(pid), 0.5)).to.be.below(50);
      before = readProcCpu(pid);
      const started = performance.now();
      await b.cpuUs();
      const seconds = (performance.now() - started) / 1000;
      // 300 ms burned within `seconds`: at least 300 ms over the window, whatever the window.
      expect(cpuMsPerSecond(before, readProcCpu(pid), seconds) * seconds).to.be.at.least(290);
    });
  });
});
