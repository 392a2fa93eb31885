// staged.js — draw a new result in stages, one main-thread task each.
//
// On a slow laptop (CPU throttled 4x) the first drawing of a result — Chart.js
// laying out and drawing a few thousand points per chart, cold code — took one
// task of 0.4–0.9 s when a page drew all its charts at once, and a click or a
// key press waited for all of it. Drawn as stages (typically one chart each)
// in separate tasks, input is handled between them. The stages draw the same
// numbers whether they run staged or at once, so the final figure is the same.
//
//   const drawing = createStagedDrawing();
//   onResult: async (r) => { if (await drawing.inStages(stagesOf(r))) done(r); }
//   a redraw of the shown result (Step, resize): drawing.now(stagesOf(r));
//
// A newer drawing (staged or at once) supersedes the stages still waiting: a
// stale result's remaining charts are never drawn over a newer one's. Nothing
// else stops a staged drawing, so a figure is never left half drawn.

const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

export function createStagedDrawing() {
  let generation = 0;
  return {
    /** Run every stage now, in this task (a redraw); any staged drawing still waiting stops. */
    now(stages) {
      generation++;
      for (const stage of stages) stage();
    },
    /**
     * Run the stages one per task (the first now). Resolves true once every stage
     * has run, false if a newer drawing took over first (its later stages never run).
     */
    async inStages(stages) {
      const mine = ++generation;
      for (let i = 0; i < stages.length; i++) {
        if (i > 0) {
          await nextTask();
          if (mine !== generation) return false;
        }
        stages[i]();
      }
      return true;
    },
  };
}
