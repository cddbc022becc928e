import { describe, expect, it } from 'vitest';
import { alertIndices, binPositions, ComponentLayers, COMPONENT_BINS_ID, countByStatus } from './componentLayers.ts';
import { pickRef } from './layers.ts';

// Status codes as the store holds them: 0 online, 1 offline, 2 fault (damaged), 3 alarm.
const status = Uint8Array.from([0, 2, 1, 3, 0, 0, 2]);

describe('component layers', () => {
  it('keeps the damaged and alarmed components as points', () => {
    expect(alertIndices(status)).toEqual([1, 3, 6]);
    expect(alertIndices(new Uint8Array(5))).toEqual([]);
  });

  it('counts a hexagon by status', () => {
    expect(countByStatus(status, [0, 1, 2, 6])).toEqual({ total: 4, online: 1, offline: 1, fault: 2, alarm: 0 });
    expect(countByStatus(status, [])).toEqual({ total: 0, online: 0, offline: 0, fault: 0, alarm: 0 });
  });

  it('hands deck.gl 3-component positions', () => {
    const b = binPositions(Float64Array.from([117.01, 30.52, 117.02, 30.53]));
    expect(b.length).toBe(2);
    expect([...b.attributes.getPosition.value]).toEqual([117.01, 30.52, 0, 117.02, 30.53, 0]);
  });

  it('draws hexagons below street zoom and points from it on', () => {
    const layers = new ComponentLayers();
    const input = { lonlat: Float64Array.from([117, 30.5, 117.001, 30.5]), status: Uint8Array.from([0, 2]), statusVersion: 1, colors: new Uint8Array(8), visible: true, px: 1 };
    const far = layers.build({ ...input, zoom: 12 });
    expect(far.map((l) => [l.id, l.props.visible])).toEqual([
      [COMPONENT_BINS_ID, true],
      ['component-alerts', true],
    ]);
    expect(far[1].props.data).toEqual([1]);
    expect(layers.showPoints(12)).toBe(false);
    expect(layers.showPoints(16)).toBe(true);
    expect(layers.build({ ...input, zoom: 16 }).map((l) => l.props.visible)).toEqual([false, false]);
    expect(layers.build({ ...input, zoom: 12, visible: false }).map((l) => l.props.visible)).toEqual([false, false]);
  });

  it('maps a pick back to a component or a hexagon', () => {
    expect(pickRef('component-alerts', 0, 4021)).toEqual({ kind: 'component', index: 4021 });
    expect(pickRef(COMPONENT_BINS_ID, 3, { pointIndices: [5, 9], position: [-180, -85] })).toEqual({ kind: 'component-bin', index: 3, indices: [5, 9] });
  });
});
