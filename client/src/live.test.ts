import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHub } from './live.ts';

describe('the live hub', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('calls the map on every change and panels at most once per interval, after the last change too', () => {
    const hub = createHub(250);
    const map = vi.fn();
    const panel = vi.fn();
    hub.subscribeNow(map);
    const un = hub.subscribe(panel);
    for (let i = 0; i < 5; i++) hub.notify();
    expect(map).toHaveBeenCalledTimes(5);
    expect(panel).toHaveBeenCalledTimes(0);
    vi.advanceTimersByTime(250);
    expect(panel).toHaveBeenCalledTimes(1);
    hub.notify();
    vi.advanceTimersByTime(100);
    expect(panel).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(150);
    expect(panel).toHaveBeenCalledTimes(2);
    un();
    hub.notify();
    vi.advanceTimersByTime(500);
    expect(panel).toHaveBeenCalledTimes(2);
  });

  it('close() drops the pending call', () => {
    const hub = createHub(250);
    const panel = vi.fn();
    hub.subscribe(panel);
    hub.notify();
    hub.close();
    vi.advanceTimersByTime(500);
    expect(panel).not.toHaveBeenCalled();
  });
});
