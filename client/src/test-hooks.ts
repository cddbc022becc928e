// What the browser tests and the bench read from a page (the store, the map, the video wall's API,
// frame timings) is published on `window` only in the build made for them (`npm run build:test`,
// Vite's mode 'test', served from dist-test/). In the production build TEST_HOOKS is the constant
// false and every publication is removed with the code that calls it.

export const TEST_HOOKS = import.meta.env.MODE === 'test';

/** The names a test build publishes, each under `window`. */
export type TestHookName = '__linkage' | '__linkageMap' | '__linkageDeck' | '__linkageVideo' | '__linkagePerf' | '__linkageAlerts' | '__linkageLabels';

/** Publishes `value` as `window[name]` in a test build; does nothing in production. */
export function exposeForTests(name: TestHookName, value: unknown): void {
  if (TEST_HOOKS) Object.assign(window, { [name]: value });
}
