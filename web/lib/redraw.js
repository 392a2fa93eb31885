// redraw.js — measure how long a page takes from a control change to the
// figure being redrawn, in the page itself (issues 10–12: "the page's controls
// redraw within 200 ms at default sizes, measured in the page"). Every page
// that reports redraw times uses this one clock; tests/browser/redraw-report.mjs
// reads what it records and `make redraw-times` prints it.
//
//   const clock = createRedrawClock();
//   const stamp = clock.mark(['buckets'], ['glass', 'dist']);  // on the change
//   runner.request({ ...values, _stamp: stamp });
//   ... onResult: draw(); clock.drawn('glass', params._stamp, { worker: r.ms });
//
// drawn() records after the next animation frame (so the time includes the
// chart's layout and paint being scheduled, not only the worker), as
// { id, controls, figure, ms, segments? } in globalThis.__redrawTimes (the
// marks, with the figures each one expects, in globalThis.__redrawMarks);
// document.body's data-redraws is the count and data-redraw-mark the latest
// mark's id. `segments` are optional named numbers the page measured on the
// way (e.g. { worker: 41, draw: 12 }: the job's time in the worker and the
// main thread's drawing, in ms), kept with the record so that a report can
// say where the time went. Measurements only: nothing here asserts on time.
// A stamp whose request was superseded (latest request wins) records nothing.

export function createRedrawClock() {
  const times = (globalThis.__redrawTimes ??= []);
  const marks = (globalThis.__redrawMarks ??= []);   // { id, controls, figures } of every mark
  const frame = (f) => (typeof requestAnimationFrame === 'function' ? requestAnimationFrame(() => f()) : setTimeout(f, 0));
  return {
    times, marks,
    /** A control change: which controls changed and which figures it redraws. */
    mark(controls, figures) {
      // ids count the page's marks (unique even if a page made several clocks)
      const stamp = { id: marks.length + 1, controls: [...controls], figures: [...figures], t0: performance.now(), seen: new Set() };
      marks.push({ id: stamp.id, controls: stamp.controls, figures: stamp.figures });
      document.body.dataset.redrawMark = String(stamp.id);
      return stamp;
    },
    /** Milliseconds since the stamp's control change (for a page's own readouts). */
    elapsed(stamp) { return stamp ? performance.now() - stamp.t0 : NaN; },
    /**
     * Figure `name` is drawn for this stamp: record once, after the next frame.
     * `segments`: optional { name: number } measured by the page (ms unless the name says otherwise).
     */
    drawn(name, stamp, segments) {
      if (!stamp || stamp.seen.has(name)) return;
      stamp.seen.add(name);
      frame(() => {
        const rec = { id: stamp.id, controls: stamp.controls, figure: name, ms: performance.now() - stamp.t0 };
        if (segments) rec.segments = { ...segments };
        times.push(rec);
        document.body.dataset.redraws = String(times.length);
      });
    },
  };
}
