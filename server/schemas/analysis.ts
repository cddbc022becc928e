// The analysis answers (core/analysis.ts): the trend beside the previous period with the hot spots,
// and the case positions for the density map.
import { Type } from 'typebox';
import { BUCKETS, type HotSpot, type Trend } from '../../core/analysis.ts';
import { exactly } from './exact.ts';

const N = Type.Number();
const counts = { reported: N, closed: N, overdue: Type.Number({ description: 'deadlines passed in the bucket without feedback by then' }) };
const Point = Type.Object({ start: N, ...counts });

export const TrendSchema = exactly<Trend>()(Type.Object({
  bucket: Type.Enum(BUCKETS),
  current: Type.Array(Point),
  previous: Type.Array(Point, { description: 'the same number of buckets right before (环比)' }),
  totals: Type.Object({ current: Type.Object(counts), previous: Type.Object(counts) }),
}));

export const HotSpotSchema = exactly<HotSpot>()(Type.Object({
  lon: N, lat: N, count: N, open: N, eventClass: Type.String({ description: 'the most frequent event class there' }),
  townshipCode: Type.String(), communityCode: Type.String(), caseIds: Type.Array(Type.String()),
}));

export const AnalysisSchema = exactly<{ scope: string; from: number; to: number; trend: Trend; hotspots: HotSpot[] }>()(Type.Object({
  scope: Type.String(), from: N, to: N, trend: TrendSchema, hotspots: Type.Array(HotSpotSchema),
}));

export const PointsSchema = exactly<{ scope: string; from: number; to: number; count: number; truncated: boolean; lonlat: number[] }>()(Type.Object({
  scope: Type.String(), from: N, to: N, count: N, truncated: Type.Boolean({ description: 'more cases than were sent (the oldest left out)' }),
  lonlat: Type.Array(N, { description: 'lon, lat pairs, oldest first' }),
}));
