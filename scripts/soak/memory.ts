/**
 * The gateway's memory over one phase of the soak: RSS at the start, the peak (the kernel's
 * high-water mark VmHWM, reset at the start, and the samples) and a timeline of samples.
 */
import { peakRssKb, resetPeakRss, rssKb } from '../lib/proc.js';

export interface PhaseMemory {
  /** RSS in KiB when the phase started. */
  startKb: number | undefined;
  /** Peak RSS in KiB over the phase. */
  peakKb: number | undefined;
  /** Whether the peak is the kernel's (VmHWM reset at the start) or only the samples' maximum. */
  peakFrom: 'VmHWM' | 'samples';
  /** RSS in KiB every `everyMs`, the start included. */
  samplesKb: number[];
}

export class RssWatch {
  private readonly startKb: number | undefined;
  private readonly samplesKb: number[] = [];
  private readonly hwmReset: boolean;
  private readonly timer: NodeJS.Timeout;
  private result: PhaseMemory | undefined;

  constructor(
    private readonly pid: number,
    everyMs: number,
  ) {
    // Reset first: the peak of an earlier phase must not count as this one's.
    this.hwmReset = resetPeakRss(pid);
    this.startKb = rssKb(pid);
    if (this.startKb !== undefined) this.samplesKb.push(this.startKb);
    this.timer = setInterval(() => this.sample(), everyMs);
    this.timer.unref();
  }

  /** Takes one sample now (also used for end-of-phase samples). */
  sample(): number | undefined {
    const kb = rssKb(this.pid);
    if (kb !== undefined && this.result === undefined) this.samplesKb.push(kb);
    return kb;
  }

  /** Stops watching; later calls answer the same figures. */
  stop(): PhaseMemory {
    if (this.result) return this.result;
    clearInterval(this.timer);
    this.sample();
    // Without the reset, VmHWM may be an earlier phase's peak: only the samples count then.
    const hwm = this.hwmReset ? (peakRssKb(this.pid) ?? 0) : 0;
    const sampledPeak = this.samplesKb.length > 0 ? Math.max(...this.samplesKb) : 0;
    const peakKb = Math.max(hwm, sampledPeak);
    this.result = {
      startKb: this.startKb,
      peakKb: peakKb > 0 ? peakKb : undefined,
      peakFrom: this.hwmReset ? 'VmHWM' : 'samples',
      samplesKb: [...this.samplesKb],
    };
    return this.result;
  }
}
