import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { en, zhCN } from '../i18n/resources.ts';
import { itemText } from './itemText.ts';

const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.init({ lng: 'zh-CN', resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } }, interpolation: { escapeValue: false } });
});
const zh = (item: Parameters<typeof itemText>[0]) => itemText(item, i18n.getFixedT('zh-CN'), false);
const english = (item: Parameters<typeof itemText>[0]) => itemText(item, i18n.getFixedT('en'), true);

describe('itemText', () => {
  it('words a whistle kind instead of showing its code', () => {
    const item = { text: '湖心社区管道破裂', facts: { whistleKind: 'emergency' } };
    expect(zh(item)).toBe('湖心社区管道破裂（应急哨）');
    expect(english(item)).toBe('湖心社区管道破裂 (Emergency)');
  });
  it('says what a drone did once, without repeating the drone', () => {
    expect(zh({ text: '袁江村路灯不亮', facts: { droneAction: 'orbit' } })).toBe('环绕 → 袁江村路灯不亮');
    expect(english({ text: '', facts: { droneAction: 'hover' } })).toBe('Hover');
  });
  it('counts a broadcast\'s points in the language', () => {
    const item = { text: '防汛转移通知', facts: { broadcastPoints: 3 } };
    expect(zh(item)).toBe('防汛转移通知（3 个广播点）');
    expect(english(item)).toBe('防汛转移通知 (3 points)');
  });
  it('names an alarm\'s class in the language', () => {
    const item = { text: '门前脏乱 · CAM-0001', facts: { eventClass: '0107', deviceId: 'CAM-0001' } };
    expect(zh(item)).toBe('门前脏乱 · CAM-0001');
    expect(english(item)).toBe('Untidy shopfront · CAM-0001');
  });
  it('shows the sentence of a report frozen before facts as it was', () => {
    expect(english({ text: '旧报告条目' })).toBe('旧报告条目');
  });
});
