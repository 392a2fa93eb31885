// redraw.js — measure how long a page takes from a control change to the
// figure being redrawn, in the page itself (issue 10: "the page's controls
// redraw within 200 ms at default sizes, measured in the page").
//
//   const clock = createRedrawClock();
//   const stamp = clock.mark(['buckets'], ['glass', 'dist']);  // on the change
//   runner.request({ ...values, _stamp: stamp });
//   ... onResult: draw(); clock.drawn('glass', params._stamp);
//
// drawn() records after the next animation frame (so the time includes the
// chart's layout and paint being scheduled, not only the worker), as
// { id, controls, figure, ms } in globalThis.__redrawTimes (the marks, with
// the figures each one expects, in globalThis.__redrawMarks); document.body's
// data-redraws is the count and data-redraw-mark the latest mark's id. Measurements only: nothing here asserts on time.
// A stamp whose request was superseded (latest request wins) records nothing.

export function createRedrawClock() {
  const times = (globalThis.__redrawTimes ??= []);
  const marks = (globalThis.__redrawMarks ??= []);   // { id, controls, figures } of every mark
  let seq = 0;
  const frame = (f) => (typeof requestAnimationFrame === 'function' ? requestAnimationFrame(() => f()) : setTimeout(f, 0));
  return {
    times, marks,
    /** A control change: which controls changed and which figures it redraws. */
    mark(controls, figures) {
      const stamp = { id: ++seq, controls: [...controls], figures: [...figures], t0: performance.now(), seen: new Set() };
      marks.push({ id: stamp.id, controls: stamp.controls, figures: stamp.figures });
      document.body.dataset.redrawMark = String(stamp.id);
      return stamp;
    },
    /** Figure `name` is drawn for this stamp: record once, after the next frame. */
    drawn(name, stamp) {
      if (!stamp || stamp.seen.has(name)) return;
      stamp.seen.add(name);
      frame(() => {
        times.push({ id: stamp.id, controls: stamp.controls, figure: name, ms: performance.now() - stamp.t0 });
        document.body.dataset.redraws = String(times.length);
      });
    },
  };
}
