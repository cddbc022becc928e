import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en, zhCN } from './resources.ts';

export const LANGS = ['zh-CN', 'en'] as const;
export type Lang = (typeof LANGS)[number];

const saved = (() => {
  try {
    return localStorage.getItem('linkage.lang');
  } catch {
    return null;
  }
})();
const initial: Lang = saved === 'en' ? 'en' : 'zh-CN';

void i18next.use(initReactI18next).init({
  lng: initial,
  fallbackLng: 'zh-CN',
  resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
  interpolation: { escapeValue: false },
  initAsync: false,
});
document.documentElement.lang = initial;

export function setLang(lang: Lang): void {
  void i18next.changeLanguage(lang);
  document.documentElement.lang = lang;
  try {
    localStorage.setItem('linkage.lang', lang);
  } catch {
    /* private mode */
  }
}

export default i18next;
