import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { reapStrays } from '../../support/stray-processes.js';
import { waitFor } from '../../support/wait-for.js';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Pids of the processes whose command line names `dir`. */
const sleepersIn = (dir: string) =>
  readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir);
      } catch {
        return false;
      }
    })
    .map(Number);

describe('reaping services a killed test run left behind', () => {
  it('kills an orphan named by the marker and removes its dir, and spares a live run’s child', async () => {
    const marker = `paddock-reaptest${process.pid}-`;
    const strayDir = mkdtempSync(join(tmpdir(), marker));
    const liveDir = mkdtempSync(join(tmpdir(), marker));
    // An orphan: its shell parent exits at once, as a killed test run's service would be.
    spawnSync('bash', ['-c', `(exec -a "stray ${strayDir}/etc/smb.conf" sleep 60 &)`], {
      stdio: 'ignore',
    });
    // A live run's service: a child of this Node process.
    const live = spawn('bash', ['-c', `exec -a "live ${liveDir}/etc/smb.conf" sleep 60`]);
    try {
      const stray = await waitFor('the orphan to start', () => sleepersIn(strayDir)[0]);
      await waitFor('the live child to start', () => sleepersIn(liveDir)[0]);
      expect(reapStrays(marker)).to.equal(1);
      await waitFor('the orphan to die', () => (alive(stray) ? undefined : true));
      expect(existsSync(strayDir)).to.equal(false);
      expect(alive(live.pid!)).to.equal(true);
      expect(existsSync(liveDir)).to.equal(true);
    } finally {
      live.kill('SIGKILL');
      for (const pid of sleepersIn(strayDir)) process.kill(pid, 'SIGKILL');
      spawnSync('rm', ['-rf', strayDir, liveDir]);
    }
  });
});
