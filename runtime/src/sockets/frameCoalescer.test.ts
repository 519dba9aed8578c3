import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FrameCoalescer } from "./frameCoalescer.js";

interface Frame {
  at: number;
  rooms: string[];
  names: string[];
}

function coalescer(windowMs = 10, burst = 1) {
  const frames: Frame[] = [];
  const frameCoalescer = new FrameCoalescer({
    windowMs,
    burst,
    send: (rooms, events) =>
      frames.push({ at: Date.now(), rooms, names: events.map(({ name }) => name) }),
    onError: (error) => {
      throw error;
    },
    now: () => Date.now(),
  });
  const push = (rooms: string[], name: string) =>
    frameCoalescer.push(rooms, { name, envelope: {} });
  return { frames, frameCoalescer, push };
}

describe("FrameCoalescer", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("sends an event at once, alone, when nothing went to its rooms within the window", () => {
    const { frames, push } = coalescer();
    push(["a", "b"], "m1");
    vi.advanceTimersByTime(12);
    push(["b", "a"], "m2");
    expect(frames).toEqual([
      { at: 1_000_000, rooms: ["a", "b"], names: ["m1"] },
      { at: 1_000_012, rooms: ["a", "b"], names: ["m2"] },
    ]);
  });

  it("gathers events that follow a frame to the same rooms into one frame at the end of the window", () => {
    const { frames, push } = coalescer();
    push(["a"], "m1");
    vi.advanceTimersByTime(2);
    push(["a"], "m2");
    push(["a", "a"], "m3");
    vi.advanceTimersByTime(5);
    push(["a"], "m4");
    expect(frames).toHaveLength(1);
    vi.advanceTimersByTime(3);
    expect(frames).toEqual([
      { at: 1_000_000, rooms: ["a"], names: ["m1"] },
      { at: 1_000_010, rooms: ["a"], names: ["m2", "m3", "m4"] },
    ]);
  });

  it("keeps the order of events to different rooms: none overtakes one held before it", () => {
    const { frames, push } = coalescer();
    push(["a"], "m1");
    push(["a"], "m2");
    push(["b"], "m3");
    push(["a"], "m4");
    vi.advanceTimersByTime(10);
    expect(frames.map(({ rooms, names }) => ({ rooms, names }))).toEqual([
      { rooms: ["a"], names: ["m1"] },
      { rooms: ["a"], names: ["m2"] },
      { rooms: ["b"], names: ["m3"] },
      { rooms: ["a"], names: ["m4"] },
    ]);
  });

  it("sends what is held on flush, and nothing twice", () => {
    const { frames, frameCoalescer, push } = coalescer();
    push(["a"], "m1");
    push(["a"], "m2");
    frameCoalescer.flush();
    vi.advanceTimersByTime(50);
    expect(frames.map(({ names }) => names)).toEqual([["m1"], ["m2"]]);
  });

  it("sends every event alone with a window of 0", () => {
    const { frames, push } = coalescer(0);
    for (const name of ["m1", "m2", "m3"]) push(["a"], name);
    expect(frames.map(({ names }) => names)).toEqual([["m1"], ["m2"], ["m3"]]);
  });

  it.each([1, 4])("sends about one frame per window under a steady stream (burst %i)", (burst) => {
    const { frames, push } = coalescer(10, burst);
    // 1,000 events a second for one second.
    for (let index = 0; index < 1_000; index += 1) {
      push(["a"], `m${index}`);
      vi.advanceTimersByTime(1);
    }
    vi.advanceTimersByTime(10);
    expect(frames.flatMap(({ names }) => names)).toHaveLength(1_000);
    expect(frames.length).toBeLessThanOrEqual(110);
    expect(Math.max(...frames.map(({ names }) => names.length))).toBeLessThanOrEqual(11);
  });

  it("lets a short burst through at once and holds only what exceeds it", () => {
    const { frames, push } = coalescer(10, 4);
    for (const name of ["m1", "m2", "m3", "m4", "m5", "m6"]) push(["a"], name);
    expect(frames.map(({ at, names }) => ({ at, names }))).toEqual([
      { at: 1_000_000, names: ["m1"] },
      { at: 1_000_000, names: ["m2"] },
      { at: 1_000_000, names: ["m3"] },
      { at: 1_000_000, names: ["m4"] },
    ]);
    vi.advanceTimersByTime(10);
    expect(frames.at(-1)).toEqual({ at: 1_000_010, rooms: ["a"], names: ["m5", "m6"] });
  });

  it("never holds a stream slower than one event per window, however it jitters", () => {
    const { frames, push } = coalescer(10, 4);
    // 80 events a second, arriving in pairs (two processes' jobs finishing together).
    let sent = 0;
    for (let ms = 0; ms < 1_000; ms += 1) {
      if (ms % 25 === 0) {
        push(["a"], `m${sent}`);
        push(["a"], `m${sent + 1}`);
        sent += 2;
      }
      vi.advanceTimersByTime(1);
    }
    expect(frames.every(({ names }) => names.length === 1)).toBe(true);
    expect(frames).toHaveLength(sent);
  });
});
