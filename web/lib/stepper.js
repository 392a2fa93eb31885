// stepper.js — Step / Play / Reset, the teacher's "what happens next?" buttons
// (TensorFlow Playground's reset / play-pause / step).
//
//   const st = createStepper(container, {
//     onStep: async () => { ... one step ... },   // may return a promise
//     onReset: () => { ... },
//     speeds: [0.5, 1, 2, 4],                      // steps per second
//   });
//
// Play calls onStep repeatedly, never overlapping (the next step waits for the
// previous one to finish, then for the step interval). Playing pauses when the
// tab is hidden. With prefers-reduced-motion, the default speed is the slowest,
// and `autoplay` is ignored: motion starts only when the user presses Play.

import { prefersReducedMotion } from './charts.js';

function button(text, attrs = {}) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  for (const [k, v] of Object.entries(attrs)) b.setAttribute(k, v);
  return b;
}

/**
 * @param {HTMLElement} container  where the buttons go (class .stepper added)
 * @param {object} o
 * @param {() => (void|Promise<void>)} o.onStep
 * @param {() => void} [o.onReset]
 * @param {number[]} [o.speeds=[0.5,1,2,4]]  steps per second
 * @param {number} [o.speed]   initial speed (default: 1, or the slowest with reduced motion)
 * @param {boolean} [o.autoplay=false]
 * @param {object} [o.labels]  { step, play, pause, reset, speed } texts
 * @param {object} [o.titles]  tooltips for step / play / reset
 */
export function createStepper(container, o) {
  const speeds = o.speeds ?? [0.5, 1, 2, 4];
  const reduced = prefersReducedMotion();
  let speed = o.speed ?? (reduced ? speeds[0] : (speeds.includes(1) ? 1 : speeds[0]));
  const L = { step: 'Step', play: 'Play', pause: 'Pause', reset: 'Reset', speed: 'Speed', ...o.labels };
  const T = { step: 'Do one step', play: 'Keep stepping', reset: 'Start again', ...o.titles };

  const stepBtn = button(L.step, { title: T.step, 'data-action': 'step' });
  const playBtn = button(`▶ ${L.play}`, { title: T.play, 'aria-pressed': 'false', 'data-action': 'play' });
  const resetBtn = button(L.reset, { title: T.reset, 'data-action': 'reset' });
  const speedId = `speed-${Math.random().toString(36).slice(2, 8)}`;
  const speedSel = document.createElement('select');
  speedSel.id = speedId;
  for (const s of speeds) {
    const opt = document.createElement('option');
    opt.value = String(s);
    opt.textContent = `${s}×/s`;
    speedSel.append(opt);
  }
  speedSel.value = String(speed);
  const speedLabel = document.createElement('label');
  speedLabel.htmlFor = speedId;
  speedLabel.textContent = L.speed;
  const speedWrap = document.createElement('span');
  speedWrap.className = 'stepper-speed';
  speedWrap.append(speedLabel, speedSel);

  container.classList.add('stepper');
  container.append(stepBtn, playBtn, resetBtn, speedWrap);

  let playing = false;
  let busy = false;
  let timer = 0;
  let steps = 0;

  async function step() {
    if (busy) return;
    busy = true;
    try { await o.onStep(); steps++; } catch (err) { console.warn('step failed:', err); pause(); } finally { busy = false; }
  }
  function loop() {
    if (!playing) return;
    const t0 = performance.now();
    step().then(() => {
      if (!playing) return;
      const wait = Math.max(0, 1000 / speed - (performance.now() - t0));
      timer = setTimeout(loop, wait);
    });
  }
  function play() {
    if (playing) return;
    playing = true;
    playBtn.textContent = `⏸ ${L.pause}`;
    playBtn.setAttribute('aria-pressed', 'true');
    stepBtn.disabled = true;
    loop();
  }
  function pause() {
    playing = false;
    clearTimeout(timer);
    playBtn.textContent = `▶ ${L.play}`;
    playBtn.setAttribute('aria-pressed', 'false');
    stepBtn.disabled = false;
  }

  stepBtn.addEventListener('click', () => step());
  playBtn.addEventListener('click', () => (playing ? pause() : play()));
  resetBtn.addEventListener('click', () => { pause(); steps = 0; o.onReset?.(); });
  speedSel.addEventListener('change', () => { speed = Number(speedSel.value); });
  document.addEventListener('visibilitychange', () => { if (document.hidden) pause(); });

  if (o.autoplay && !reduced) play();

  return {
    el: container,
    step, play, pause,
    get playing() { return playing; },
    get steps() { return steps; },
    get speed() { return speed; },
  };
}
