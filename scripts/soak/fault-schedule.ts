/**
 * The soak's fault schedule: every period a few clusters get an error fault (the rest stay
 * healthy), now and then every answer slows down, and the simulator's latency wanders in its
 * normal range. Every change is logged with its time, so each answer can later be judged
 * against what its clusters were doing while it was being made.
 */
import type { AckSimulator, Fault } from '../../src/simulator/index.js';

/** The error faults the soak rotates ('malformed' and 'future' change data, not availability). */
export const ROTATED_FAULTS = [
  'throttled',
  'server-error',
  'unavailable',
  'non-json',
  'slow',
  'forbidden',
] as const satisfies readonly Fault[];

export interface FaultScheduleOptions {
  /** How long one set of faults stays. */
  periodMs: number;
  /** Clusters faulted per period (the others stay healthy). */
  faultedPerPeriod: number;
  /** Every n-th period is calm: no faults at all. */
  calmEvery: number;
  /**
   * A fault "touches" an answer when its window overlaps [start - graceMs, end]: an upstream call
   * made just before a fault was cleared may still be shared by requests that start after it.
   */
  graceMs: number;
  /** Normal latency of the simulator, re-drawn every few hundred ms. */
  baseLatencyMs: readonly [number, number];
  /** Chance per period of a latency spike for every cluster. */
  spikeChance: number;
  spikeLatencyMs: readonly [number, number];
  spikeDurationMs: number;
  random: () => number;
}

interface Window {
  fault: Fault | 'spike';
  from: number;
  to: number;
}

/** How often the normal latency is re-drawn. */
const JITTER_EVERY_MS = 200;

export class FaultSchedule {
  private readonly windows = new Map<string, Window[]>();
  private readonly active = new Map<string, Window>();
  private readonly spikes: Window[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private spikeUntil = 0;
  private periodIndex = 0;
  /** Faults applied, by kind. */
  readonly applied: Record<string, number> = {};
  calmPeriods = 0;

  constructor(
    private readonly simulator: AckSimulator,
    private readonly clusterIds: readonly string[],
    private readonly options: FaultScheduleOptions,
  ) {}

  private between([low, high]: readonly [number, number]): number {
    return Math.round(low + this.options.random() * (high - low));
  }

  /** Starts the latency jitter (before warm-up). */
  startJitter(): void {
    this.simulator.setOptions({ latencyMs: this.between(this.options.baseLatencyMs) });
    this.timers.push(
      setInterval(() => {
        if (performance.now() < this.spikeUntil) return;
        this.simulator.setOptions({ latencyMs: this.between(this.options.baseLatencyMs) });
      }, JITTER_EVERY_MS),
    );
  }

  /** Starts rotating faults (after warm-up). */
  startFaults(): void {
    this.rotate();
    this.timers.push(setInterval(() => this.rotate(), this.options.periodMs));
  }

  get periods(): number {
    return this.periodIndex;
  }

  get spikeCount(): number {
    return this.spikes.length;
  }

  private clearActive(now: number): void {
    for (const [clusterId, window] of this.active) {
      window.to = now;
      this.simulator.setFault(clusterId, undefined);
    }
    this.active.clear();
  }

  private rotate(): void {
    const now = performance.now();
    this.clearActive(now);
    this.periodIndex += 1;
    if (this.periodIndex % this.options.calmEvery === 0) {
      this.calmPeriods += 1;
      return;
    }
    const pool = [...this.clusterIds];
    const count = Math.min(this.options.faultedPerPeriod, pool.length - 1);
    for (let i = 0; i < count; i++) {
      const [clusterId] = pool.splice(Math.floor(this.options.random() * pool.length), 1);
      if (clusterId === undefined) break;
      const fault = ROTATED_FAULTS[Math.floor(this.options.random() * ROTATED_FAULTS.length)] ?? 'throttled';
      const window: Window = { fault, from: now, to: Number.POSITIVE_INFINITY };
      this.simulator.setFault(clusterId, fault);
      this.active.set(clusterId, window);
      const list = this.windows.get(clusterId) ?? [];
      list.push(window);
      this.windows.set(clusterId, list);
      this.applied[fault] = (this.applied[fault] ?? 0) + 1;
    }
    if (this.options.random() < this.options.spikeChance) {
      this.spikeUntil = now + this.options.spikeDurationMs;
      this.spikes.push({ fault: 'spike', from: now, to: this.spikeUntil });
      this.simulator.setOptions({ latencyMs: this.between(this.options.spikeLatencyMs) });
    }
  }

  private overlaps(window: Window, from: number, to: number): boolean {
    return window.from <= to && window.to >= from - this.options.graceMs;
  }

  /** The faults of `clusterId` that touch an answer made between `from` and `to`. */
  faultsDuring(clusterId: string, from: number, to: number): Fault[] {
    const out: Fault[] = [];
    for (const window of this.windows.get(clusterId) ?? []) {
      if (window.fault !== 'spike' && this.overlaps(window, from, to)) out.push(window.fault);
    }
    return out;
  }

  healthy(clusterId: string, from: number, to: number): boolean {
    return this.faultsDuring(clusterId, from, to).length === 0;
  }

  /** Whether a latency spike touches an answer made between `from` and `to`. */
  spikeDuring(from: number, to: number): boolean {
    return this.spikes.some((window) => this.overlaps(window, from, to));
  }

  /** Stops everything and leaves the simulator healthy at its normal latency. */
  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers.length = 0;
    this.clearActive(performance.now());
    this.simulator.setOptions({ latencyMs: this.between(this.options.baseLatencyMs) });
  }
}
