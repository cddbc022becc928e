// Chinese names: people (grid workers and leaders) and road intersections (camera names).

import type { Rng } from '../../core/random.ts';

export const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘汪程方檀查江余丁章'.split('');
export const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国文辉红波斌宇浩凯鹏婷雪琳晨峰云海亮春燕志慧俊德'.split('');

export function personNames(n: number, rng: Rng): string[] {
  const used = new Set<string>();
  const out: string[] = [];
  while (out.length < n) {
    const name = rng.pick(SURNAMES) + rng.pick(GIVEN) + (rng.next() < 0.7 ? rng.pick(GIVEN) : '');
    if (used.has(name)) continue;
    used.add(name);
    out.push(name);
  }
  return out;
}

export const ROADS: Record<string, string[]> = {
  '340803001': ['德宽路', '人民路', '沿江西路', '大观亭街', '吴越街', '国货街'],
  '340803002': ['玉琳路', '沿江西路', '人民路', '滨江路', '太平寺路', '四眼井街'],
  '340803003': ['龙山路', '人民路', '菱湖南路', '近圣街', '荣升街', '四方城路'],
  '340803004': ['菱湖南路', '菱湖北路', '湖心南路', '宜园路', '纺织南路', '华茂路'],
  '340803005': ['集贤路', '集贤北路', '蔡山路', '高花路', '碟子塘路', '独秀大道'],
  '340803006': ['石化路', '天桥路', '大湖路', '鸭儿塘路', '皖江大道', '沿江西路'],
  '340803007': ['花亭路', '湖心北路', '纺织北路', '华中西路', '集贤南路', '独秀大道'],
};
export const SIDES = ['', '东侧', '南侧', '西侧', '北侧'];
