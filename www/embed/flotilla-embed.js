// Flotilla's embed: one script tag gives a page the <flotilla-sandbox> element and the
// `Flotilla` JS API (`Flotilla.mount(element, options)` → a handle with step, play, pause, seek,
// apply, state, destroy). It is the façade over the flotilla-embed wasm (embed/ in the
// repository): the wasm checks options, runs the core's session and draws the views; this file
// owns what is the page's business — the custom element, the shadow root and its styles, the
// play timer, the click and slider listeners, fetching `src`, and turning the wasm's errors into
// `Flotilla.FlotillaError`s.
//
// Isolation: the wasm module is downloaded and compiled once per page and instantiated once per
// embed (its glue is imported under a query string of its own), so embeds share nothing in
// memory and a panic in one — which wasm turns into a trap — stops only that one. Styles live in
// a constructable stylesheet adopted by each shadow root (no <style> element, no style
// attribute: a strict CSP with `style-src 'self'` allows it); every name from a scenario is set
// as text. Globals: `Flotilla` and the element name, nothing else.

const PKG_URL = new URL('./pkg/flotilla_embed.js', import.meta.url);
const WASM_URL = new URL('./pkg/flotilla_embed_bg.wasm', import.meta.url);
/** The scenario size limit of the core (`SCENARIO_BYTES_MAX`), checked before parsing too. */
const SCENARIO_BYTES_MAX = 4 * 1024 * 1024;
/** The play timer's period; each tick moves simulated time by `tickMs` (see `playStep`). */
const TICK_MS = 100;
/** A played run lasts about this long in real time (at least 1 simulated second per tick). */
const PLAY_SECONDS = 20;
const OPTION_ATTRIBUTES = ['src', 'seed', 'until', 'view', 'service', 'mode', 'app'];

/** A bad argument or option: `path` names it (`seed`, `action.stopTask.task`, `scenario.fleet[0]`). */
class FlotillaError extends Error {
  constructor(path, message) {
    super(message);
    this.name = 'FlotillaError';
    this.path = path;
  }
}

let compiled = null;
let instances = 0;
/** The handle mounted in each element, so a second mount replaces the first cleanly. */
const mounted = new WeakMap();

/** The compiled wasm, fetched and compiled once per page. */
function compileOnce() {
  if (!compiled) {
    compiled = WebAssembly.compileStreaming(fetch(WASM_URL)).catch(async () =>
      WebAssembly.compile(await (await fetch(WASM_URL)).arrayBuffer()));
  }
  return compiled;
}

/** A fresh instance of the wasm (its own memory) with its own copy of the glue. */
async function instantiate() {
  const module = await compileOnce();
  instances += 1;
  const glue = await import(`${PKG_URL.href}?instance=${instances}`);
  await glue.default({ module_or_path: module });
  return glue;
}

/** An error from the wasm as a FlotillaError; a trap (a panic) is reported as `broken`. */
function translate(error) {
  if (error instanceof FlotillaError) return error;
  if (error && error.name === 'FlotillaError') return new FlotillaError(error.path ?? '', error.message);
  return error;
}

function kindOf(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

let sheet = null;
function styles() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
  }
  return sheet;
}

/** The shadow root of `element` (made once), holding one `.flotilla` root. */
function shadowOf(element) {
  const shadow = element.shadowRoot ?? element.attachShadow({ mode: 'open' });
  shadow.adoptedStyleSheets = [styles()];
  shadow.replaceChildren();
  const root = document.createElement('div');
  root.className = 'flotilla';
  const notice = document.createElement('p');
  notice.className = 'notice';
  notice.setAttribute('role', 'status');
  const body = document.createElement('div');
  body.className = 'body';
  root.append(notice, body);
  shadow.append(root);
  return { shadow, root, body, notice };
}

/** Shows `error` in the embed, as text. */
function showError(parts, error) {
  const box = document.createElement('div');
  box.className = 'error';
  box.setAttribute('role', 'alert');
  const title = document.createElement('strong');
  title.textContent = error instanceof FlotillaError
    ? `Flotilla: ${error.path ? `${error.path}: ` : ''}`
    : 'Flotilla stopped: ';
  const text = document.createElement('span');
  text.textContent = error instanceof FlotillaError
    ? error.message.replace(`${error.path}: `, '')
    : String(error?.message ?? error);
  box.append(title, text);
  box.dataset.path = error?.path ?? '';
  parts.body.replaceChildren(box);
}

/** The handle `Flotilla.mount` resolves to; one per embed. */
class Handle {
  #element;
  #parts;
  #sandbox;
  #timer = null;
  #broken = null;
  #pendingSeek = null;
  #assertions = null;
  #listeners = new AbortController();

  constructor(element, parts, sandbox) {
    this.#element = element;
    this.#parts = parts;
    this.#sandbox = sandbox;
    const options = { signal: this.#listeners.signal };
    parts.shadow.addEventListener('click', (event) => this.#onClick(event), options);
    parts.shadow.addEventListener('input', (event) => this.#onInput(event), options);
  }

  /** One step (the next event); false at the end of the run. */
  step() {
    return this.#call(() => this.#sandbox.step());
  }

  /** Runs the clock in real time until the end (or `pause`). */
  play() {
    this.#live();
    if (this.#timer !== null || this.#sandbox.atEnd()) return;
    const tickMs = Math.max(1000, Math.round(this.#sandbox.untilMs() / (PLAY_SECONDS * 1000 / TICK_MS)));
    this.#timer = setInterval(() => {
      const more = this.#call(() => this.#sandbox.advance(tickMs));
      if (!more) this.pause();
    }, TICK_MS);
    this.#call(() => this.#sandbox.setPlaying(true), false);
  }

  pause() {
    if (this.#timer === null) return;
    clearInterval(this.#timer);
    this.#timer = null;
    if (!this.#broken) this.#call(() => this.#sandbox.setPlaying(false), false);
  }

  get playing() {
    return this.#timer !== null;
  }

  /** Goes to a moment: milliseconds or a duration such as "1m30s". */
  seek(t) {
    this.#call(() => this.#sandbox.seek(t));
  }

  /** Applies an action in the scenario timeline's shape, e.g. `{ stopTask: { task: 't3' } }`. */
  apply(action) {
    this.#call(() => this.#sandbox.apply(action));
  }

  /** The world now, as plain data. */
  state() {
    return this.#call(() => this.#sandbox.state(), false);
  }

  /**
   * The scenario's assertions judged over its run as written, as badges in the embed; each is
   * also sent as a `flotilla:assertion` event (`detail`: label, sentence, status, atMs,
   * evidence). Resolves to the list (empty without assertions).
   */
  checkAssertions() {
    if (!this.#assertions) {
      this.#assertions = new Promise((resolve, reject) => {
        try {
          const badges = this.#call(() => this.#sandbox.checkAssertions(), false);
          for (const badge of badges) {
            this.#element.dispatchEvent(new CustomEvent('flotilla:assertion', { detail: badge }));
          }
          resolve(badges);
        } catch (error) {
          reject(error);
        }
      });
      this.#assertions.catch(() => {});
    }
    return this.#assertions;
  }

  /** The "Open in Flotilla" address for the run as it is now. */
  openLink() {
    return this.#call(() => this.#sandbox.openLink(), false);
  }

  /** Stops the timer and frees the embed's run; the element keeps its last picture. */
  destroy() {
    this.pause();
    this.#listeners.abort();
    if (this.#sandbox && !this.#broken) this.#sandbox.free();
    this.#broken = this.#broken ?? new FlotillaError('', 'this embed was destroyed');
  }

  #live() {
    if (this.#broken) throw this.#broken;
  }

  /** Runs `body` on the wasm; a refusal becomes a FlotillaError, a trap stops this embed only. */
  #call(body, emit = true) {
    this.#live();
    let result;
    try {
      result = body();
    } catch (error) {
      const translated = translate(error);
      if (translated instanceof FlotillaError) throw translated;
      this.#break(translated);
      throw this.#broken;
    }
    if (emit) this.#emit();
    return result;
  }

  #break(error) {
    this.pause();
    this.#broken = new FlotillaError('', `this embed stopped after an internal error (${error?.message ?? error}); the page's other embeds are not affected`);
    showError(this.#parts, this.#broken);
  }

  #emit() {
    this.#element.dispatchEvent(new CustomEvent('flotilla:step', {
      detail: { nowMs: this.#sandbox.nowMs(), events: this.#sandbox.eventCount(), atEnd: this.#sandbox.atEnd() },
    }));
  }

  #notice(text) {
    this.#parts.notice.textContent = text;
  }

  #onClick(event) {
    const button = event.target.closest?.('button[data-act]');
    if (!button || this.#broken) return;
    const data = button.dataset;
    this.#notice('');
    try {
      switch (data.act) {
        case 'start': this.pause(); this.seek(0); break;
        case 'step': this.pause(); this.step(); break;
        case 'jump': this.pause(); this.seek(Number(data.at)); break;
        case 'play': if (this.playing) this.pause(); else this.play(); break;
        case 'stop': this.apply({ stopTask: { task: data.task } }); break;
        case 'drain': this.apply({ drainInstance: { instance: data.instance } }); break;
        case 'terminate': this.apply({ terminateInstance: { instance: data.instance } }); break;
        case 'scale': this.apply({ updateService: { service: data.service, desiredCount: Number(data.count) } }); break;
        default: break;
      }
    } catch (error) {
      if (error instanceof FlotillaError && !this.#broken) this.#notice(error.message);
    }
  }

  #onInput(event) {
    if (event.target?.dataset?.act !== 'seek' || this.#broken) return;
    this.pause();
    // Scrubbing fires faster than frames: seek once per frame, to the latest position.
    const first = this.#pendingSeek === null;
    this.#pendingSeek = Number(event.target.value);
    if (first) {
      requestAnimationFrame(() => {
        const at = this.#pendingSeek;
        this.#pendingSeek = null;
        try { this.seek(at); } catch (error) { if (!this.#broken) this.#notice(error.message); }
      });
    }
  }
}

/** Reads `src` (relative to the page) as scenario text. */
async function load(src) {
  let response;
  try {
    response = await fetch(new URL(src, document.baseURI));
  } catch (error) {
    throw new FlotillaError('src', `could not load ${src}: ${error.message}`);
  }
  if (!response.ok) throw new FlotillaError('src', `could not load ${src}: HTTP ${response.status}`);
  const text = await response.text();
  if (text.length > SCENARIO_BYTES_MAX) {
    throw new FlotillaError('src', `${src} is ${text.length} characters; the limit is ${SCENARIO_BYTES_MAX}`);
  }
  return text;
}

/**
 * Mounts an embed into `element` (its shadow root). `options`: `scenario` (JSON text or
 * object) or `src` (a URL), and `seed`, `until`, `view`, `service`, `mode`, `app`. Resolves to
 * a Handle; rejects with a FlotillaError (also shown in the element) when an option is wrong.
 */
async function mount(element, options = {}) {
  if (!(element instanceof Element)) {
    throw new FlotillaError('element', `expected an element, found ${kindOf(element)}`);
  }
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new FlotillaError('options', `expected an object, found ${kindOf(options)}`);
  }
  mounted.get(element)?.destroy();
  mounted.delete(element);
  const parts = shadowOf(element);
  parts.root.setAttribute('aria-busy', 'true');
  try {
    const given = { ...options };
    if (given.scenario === undefined && typeof given.src === 'string') given.scenario = await load(given.src);
    delete given.src;
    const glue = await instantiate();
    let sandbox;
    try {
      sandbox = new glue.Sandbox(parts.body, given);
    } catch (error) {
      throw translate(error);
    }
    parts.root.removeAttribute('aria-busy');
    performance.mark('flotilla:rendered');
    const handle = new Handle(element, parts, sandbox);
    mounted.set(element, handle);
    // Judge the assertions once the embed is on screen (a run of its own, to `until`).
    setTimeout(() => handle.checkAssertions(), 0);
    return handle;
  } catch (error) {
    parts.root.removeAttribute('aria-busy');
    showError(parts, error);
    throw error;
  }
}

/** `<flotilla-sandbox src="rolling.json" seed="7" until="5m" view="fleet,timeline" mode="read-only">` */
class FlotillaSandbox extends HTMLElement {
  #handle = null;

  connectedCallback() {
    if (this.ready) return;
    const options = {};
    for (const name of OPTION_ATTRIBUTES) {
      if (this.hasAttribute(name)) options[name] = this.getAttribute(name);
    }
    const inline = this.querySelector(':scope > script[type="application/json"]');
    if (inline) options.scenario = inline.textContent;
    /** Resolves to the Handle (rejects with the FlotillaError the element shows). */
    this.ready = mount(this, options).then((handle) => {
      this.#handle = handle;
      return handle;
    });
    // The element shows the error; a page that wants it reads `ready`.
    this.ready.catch(() => {});
  }

  disconnectedCallback() {
    this.#handle?.destroy();
    this.#handle = null;
    this.ready = null;
  }
}

const CSS = `
:host { all: initial; display: block; contain: content; font: 13px/1.4 system-ui, sans-serif; color: #0f172a; }
.flotilla { border: 1px solid #cbd5e1; border-radius: 6px; background: #f8fafc; padding: 8px 10px; }
header { display: flex; gap: 8px; align-items: baseline; justify-content: space-between; margin-bottom: 6px; }
.name { font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
a.open { color: #1d4ed8; white-space: nowrap; }
h3 { font-size: 12px; margin: 8px 0 4px; color: #475569; }
button { font: inherit; font-size: 12px; padding: 2px 8px; border: 1px solid #94a3b8; border-radius: 4px; background: #fff; color: #0f172a; cursor: pointer; }
button:hover:not([disabled]) { background: #e2e8f0; }
button[disabled] { opacity: .45; cursor: default; }
button:focus-visible { outline: 2px solid #2563eb; outline-offset: 1px; }
.controls { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; }
.controls input[type=range] { flex: 1 1 160px; min-width: 120px; }
.clock { font-variant-numeric: tabular-nums; color: #334155; }
ul, ol { list-style: none; margin: 0; padding: 0; }
.instances { display: grid; grid-template-columns: repeat(auto-fill, minmax(210px, 1fr)); gap: 6px; }
.instance { border: 1px solid #cbd5e1; border-radius: 4px; background: #fff; padding: 4px 6px; }
.instance.draining { border-color: #d97706; background: #fffbeb; }
.instance.inactive { opacity: .5; }
.instance .head { display: flex; flex-wrap: wrap; gap: 4px 6px; align-items: center; font-size: 11px; color: #475569; }
.instance .head .id { font-family: ui-monospace, monospace; color: #0f172a; }
.instance .head button { padding: 0 5px; font-size: 11px; }
.tasks { display: flex; flex-wrap: wrap; gap: 3px; margin-top: 4px; }
.task { display: inline-block; font-size: 11px; padding: 0 5px; border-radius: 3px; border: 1px solid transparent; background: #e2e8f0; }
.task.running { background: #dcfce7; border-color: #86efac; }
.task.pending, .task.provisioning, .task.activating { background: #dbeafe; border-color: #93c5fd; }
.task.stopping, .task.deactivating, .task.deprovisioning { background: #fee2e2; border-color: #fca5a5; }
.empty, .more { color: #64748b; font-size: 11px; }
.counts { display: flex; gap: 6px; align-items: center; margin: 0 0 4px; }
.chart { margin: 0; }
.chart > svg { width: 100%; max-width: 480px; height: auto; display: block; }
.chart text { font-size: 9px; fill: #475569; }
.chart .grid { stroke: #e2e8f0; }
.chart .area { opacity: .55; }
.chart .bound { stroke-width: 6; opacity: .18; }
.chart .series { stroke-width: 1.8; }
.chart .series.thin { stroke-width: 1.2; }
.legend { display: flex; flex-wrap: wrap; gap: 2px 10px; font-size: 11px; color: #475569; }
.legend li { display: flex; gap: 4px; align-items: center; }
figcaption, .deployments { font-size: 11px; color: #475569; }
.events { max-height: 220px; overflow: auto; font-size: 12px; background: #fff; border: 1px solid #e2e8f0; border-radius: 4px; }
.events li { display: flex; gap: 8px; padding: 1px 6px; border-bottom: 1px solid #f1f5f9; }
.events time { font-variant-numeric: tabular-nums; color: #64748b; white-space: nowrap; }
.notice { margin: 0; color: #b45309; font-size: 12px; }
.notice:empty { display: none; }
.error { border: 1px solid #fca5a5; background: #fef2f2; color: #991b1b; padding: 6px 8px; border-radius: 4px; }
.assertions { display: flex; flex-wrap: wrap; gap: 4px; margin: 0 0 6px; }
.assertions:empty { display: none; }
.badge { font-size: 11px; padding: 1px 7px; border-radius: 10px; }
.badge.held, .badge.holding { background: #dcfce7; border-color: #4ade80; color: #14532d; }
.badge.broken { background: #fee2e2; border-color: #f87171; color: #7f1d1d; }
.badge.not-reached, .badge.waiting, .badge.unjudged { background: #fef9c3; border-color: #facc15; color: #713f12; }
`;

if (!customElements.get('flotilla-sandbox')) customElements.define('flotilla-sandbox', FlotillaSandbox);
if (!globalThis.Flotilla) {
  Object.defineProperty(globalThis, 'Flotilla', {
    value: Object.freeze({ mount, FlotillaError, version: '0.1.0' }),
    enumerable: false,
    configurable: false,
    writable: false,
  });
}
