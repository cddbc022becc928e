import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { en, zhCN } from '../i18n/resources.ts';
import { actorLabel, reporterLabel } from './people.ts';

const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.init({ lng: 'zh-CN', resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } }, interpolation: { escapeValue: false } });
});
const zh = () => i18n.getFixedT('zh-CN');

const dispatcher = { id: 'dispatcher-340803', name: '区中心派遣员', role: 'dispatcher' as const };
const gateway = { id: 'gateway:patrol', name: 'patrol', role: 'system' as const };
const system = { id: 'system', name: '系统', role: 'system' as const };

describe('actorLabel', () => {
  it('shows a person by name and role', () => {
    expect(actorLabel(dispatcher, zh())).toBe('区中心派遣员 · 派遣员');
  });
  it('shows a gateway as its intake source, not "patrol · 系统"', () => {
    expect(actorLabel(gateway, zh())).toBe('网格巡查 · 数据接入');
    expect(actorLabel(gateway, i18n.getFixedT('en'))).toBe('Grid patrol · Data intake');
  });
  it('names the system once, in the language', () => {
    expect(actorLabel(system, zh())).toBe('系统');
    expect(actorLabel(system, i18n.getFixedT('en'))).toBe('System');
  });
});

describe('reporterLabel', () => {
  it('names the reporter from the timeline instead of the account id', () => {
    expect(reporterLabel('dispatcher-340803', [{ actor: dispatcher }], zh())).toBe('区中心派遣员');
    expect(reporterLabel('gateway:patrol', [{ actor: gateway }], zh())).toBe('网格巡查');
  });
  it('names a grid worker, whose report came through the patrol gateway, from the dataset', () => {
    expect(reporterLabel('GW-0001', [{ actor: gateway }], zh(), new Map([['GW-0001', '李娜']]))).toBe('李娜');
  });
  it('keeps an id nobody in the timeline answers to (a camera, a hotline line), and the id until the timeline arrives', () => {
    expect(reporterLabel('CAM-00012', [{ actor: gateway }], zh())).toBe('CAM-00012');
    expect(reporterLabel('dispatcher-340803', null, zh())).toBe('dispatcher-340803');
  });
});

describe('case sources', () => {
  it('a citizen\'s case is called what the report form calls it', () => {
    expect(zhCN.source.citizen).toBe('群众来电/来访');
    expect(en.source.citizen).toBe('Citizen call/visit');
  });
});
