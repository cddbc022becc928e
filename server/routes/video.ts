// Bounded context: video. Where the dashboard finds a camera's, lookout's or drone's live
// stream: the deployment maps device ids to its media server's HLS URLs by configuration
// (VIDEO_STREAMS_FILE per id, else VIDEO_URL_TEMPLATE); the server only hands the URL out.
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { VideoKind } from '../../core/video.ts';
import { ERROR_CODES } from '../../core/protocol.ts';
import { FAILURES, sendFailure } from '../http-errors.ts';

export interface VideoRoutesOptions {
  template: string | null;
  streams: Record<string, string>;
}

const VideoKindSchema = Type.Union([Type.Literal('camera'), Type.Literal('lookout'), Type.Literal('drone')]);

const VideoStreamSchema = Type.Object({
  kind: VideoKindSchema,
  id: Type.String(),
  name: Type.String(),
  url: Type.String({ description: 'HLS playlist URL (absolute, or a path on this server)' }),
});

const ErrorSchema = Type.Object({ ok: Type.Literal(false), code: Type.String(), message: Type.String() });

/** The URL for one device, or null when nothing is configured for it. */
export function streamUrl(opts: VideoRoutesOptions, kind: VideoKind, id: string): string | null {
  const own = Object.hasOwn(opts.streams, id) ? opts.streams[id] : undefined;
  if (own) return own;
  return opts.template ? opts.template.replaceAll('{id}', encodeURIComponent(id)).replaceAll('{kind}', kind) : null;
}

export const videoRoutes: FastifyPluginAsync<VideoRoutesOptions> = async (fastify, opts) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { district } = app.projector;

  app.get('/video/:kind/:id', {
    // Cameras, lookouts and drones are the district's: every screen may open any of them.
    config: { read: 'district' },
    schema: {
      summary: 'The live stream (HLS) of a camera, lookout or drone',
      tags: ['video'],
      params: Type.Object({ kind: VideoKindSchema, id: Type.String({ maxLength: 64 }) }),
      response: { ...FAILURES, 200: VideoStreamSchema, 404: ErrorSchema },
    },
  }, async (req, reply) => {
    const { kind, id } = req.params;
    const index = district.index[kind as VideoKind].get(id);
    // Cameras and lookouts may be provisioned (or given a stream) through the registry since the dataset.
    const registered = kind === 'drone' ? undefined : app.projector.registry.get(kind, id);
    const device = registered ?? (index === undefined ? undefined : district.placedDevice(kind, index));
    if (!device || registered?.retired) return sendFailure(reply, ERROR_CODES.unknownDevice, `no ${kind} with id "${id}"${registered?.retired ? ' in service (retired)' : ''}`);
    const url = registered?.streamUrl ?? streamUrl(opts, kind, id);
    if (!url) return sendFailure(reply, 'NO_STREAM', `no stream is configured for ${kind} ${id} (set VIDEO_URL_TEMPLATE or VIDEO_STREAMS_FILE)`);
    return { kind, id, name: device.name, url };
  });
};
