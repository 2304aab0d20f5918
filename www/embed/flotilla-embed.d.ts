// Types of the `Flotilla` global and the <flotilla-sandbox> element that flotilla-embed.js
// defines (issue 12). Values are plain JSON data; times are milliseconds or duration strings.

export type View = 'fleet' | 'service' | 'events' | 'timeline';

export interface MountOptions {
  /** Scenario file text or object; or `src`, a URL the script fetches. */
  scenario?: string | object;
  src?: string;
  /** Replaces the scenario's seed: 0 to 2^53 - 1. */
  seed?: number | string;
  /** How far the embed runs: ms or a duration ("5m"), at most 6 h. Default: the scenario's horizon. */
  until?: number | string;
  /** Views in order: "fleet,events" or ["fleet", "events"]. Default: timeline, fleet. */
  view?: string | View[];
  /** The service the `service` view shows. Default: the first. */
  service?: string;
  mode?: 'read-only' | 'interactive';
  /** Where "Open in Flotilla" points: a path or an http(s) address. Default "/". */
  app?: string;
}

/** An action in the scenario timeline's shape, e.g. `{ stopTask: { task: 't3' } }`. */
export type Action = Record<string, unknown>;

export interface TaskState { id: string; service: string; taskDefinition: string; state: string }
export interface InstanceState { id: string; instanceType: string; availabilityZone: string; status: string; tasks: TaskState[] }
export interface DeploymentState { id: string; status: string; rolloutState: string; taskDefinition: string }
export interface ServiceState { name: string; desiredCount: number; running: number; pending: number; taskDefinition: string; deployments: DeploymentState[] }
export interface State {
  scenario: string; seed: number; nowMs: number; now: string; untilMs: number; atEnd: boolean;
  events: number; stopped: string | null; services: ServiceState[]; instances: InstanceState[];
}

export interface Handle {
  /** The next event; false at the end of the run. */
  step(): boolean;
  play(): void;
  pause(): void;
  readonly playing: boolean;
  seek(t: number | string): void;
  apply(action: Action): void;
  state(): State;
  openLink(): string;
  destroy(): void;
}

/** `path` names the bad option or argument: `seed`, `t`, `action.stopTask.task`, `scenario.fleet[0]`. */
export declare class FlotillaError extends Error {
  readonly name: 'FlotillaError';
  readonly path: string;
}

export interface FlotillaApi {
  mount(element: Element, options: MountOptions): Promise<Handle>;
  FlotillaError: typeof FlotillaError;
  version: string;
}

declare global {
  const Flotilla: FlotillaApi;
  interface HTMLElementTagNameMap { 'flotilla-sandbox': HTMLElement & { ready: Promise<Handle> | null } }
  interface HTMLElementEventMap {
    'flotilla:step': CustomEvent<{ nowMs: number; events: number; atEnd: boolean }>;
  }
}
