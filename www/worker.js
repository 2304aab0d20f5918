// Flotilla's jump worker: runs a long jump off the page's thread so the page never freezes.
// Loads the same wasm as the page (its `start` does not mount the app without a window).
// In:  WebAssembly.Module    first, the page's compiled app (see `ready` below)
//      { snapshot: Uint8Array, targetMs, popped }  (World::to_snapshot bytes, see web/src/jump.rs)
// Out: { kind: 'progress', reachedMs, events }  at most every PROGRESS_MS of wall time
//      { kind: 'waypoint', snapshot }  the world between two moments on the way, every few
//                                       thousand events (the page keeps it as a checkpoint)
//      { kind: 'done', snapshot, reachedMs, events }  the world at the target (snapshot transferred)
//      { kind: 'error', message }
// The page cancels a jump by terminating the worker; one worker runs one jump.
import init, { WorkerJump } from './pkg/flotilla_web.js';

const SLICE_WAKEUPS = 2_000;
const PROGRESS_MS = 50;

// The page's first message is its compiled module (WebAssembly.Module): instantiating it here
// costs no download and no compile. A page that sends none gets the module fetched as before.
let ready = null;

self.onmessage = async ({ data }) => {
  if (data instanceof WebAssembly.Module) {
    ready = init({ module_or_path: data });
    return;
  }
  try {
    await (ready ??= init());
    const jump = new WorkerJump(data.snapshot, data.targetMs, data.popped);
    let posted = performance.now();
    while (!jump.slice(SLICE_WAKEUPS)) {
      const waypoint = jump.takeWaypoint();
      if (waypoint) self.postMessage({ kind: 'waypoint', snapshot: waypoint }, [waypoint.buffer]);
      const now = performance.now();
      if (now - posted >= PROGRESS_MS) {
        posted = now;
        self.postMessage({ kind: 'progress', reachedMs: jump.reachedMs(), events: jump.events() });
      }
    }
    const snapshot = jump.snapshot();
    self.postMessage(
      { kind: 'done', snapshot, reachedMs: jump.reachedMs(), events: jump.events() },
      [snapshot.buffer],
    );
    jump.free();
  } catch (error) {
    self.postMessage({ kind: 'error', message: String(error && error.message ? error.message : error) });
  }
};
