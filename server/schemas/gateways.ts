// Gateway keys as the admin's API answers them (server/gateways/registry.ts: keys are never listed, only counted).
import { Type } from 'typebox';
import { exactly } from './exact.ts';

export const GatewayListSchema = exactly<{ managed: boolean; gateways: { name: string; keys: number }[] }>()(Type.Object({
  managed: Type.Boolean({ description: 'whether keys can be issued here (a keys file is configured)' }),
  gateways: Type.Array(Type.Object({ name: Type.String(), keys: Type.Number({ description: 'how many keys it has' }) })),
}));
export const IssuedKeySchema = exactly<{ name: string; key: string }>()(Type.Object({ name: Type.String(), key: Type.String({ description: 'shown this once' }) }, { description: 'the gateway and its key' }));
export const RevokedSchema = exactly<{ name: string; keysRevoked: number; disconnected: number }>()(Type.Object({ name: Type.String(), keysRevoked: Type.Number(), disconnected: Type.Number({ description: 'MQTT connections cut' }) }));
