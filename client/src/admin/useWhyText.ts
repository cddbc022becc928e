// A bad import row's reason in the screen's language (core/import-why.ts keys; Chinese in whyZh.ts).
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { IMPORT_WHY_EN, LEVEL_WORDS_EN, whyText, type ImportWhy } from '../../../core/import-why.ts';
import { IMPORT_WHY_ZH, LEVEL_WORDS_ZH } from './whyZh.ts';

export function useWhyText(): (why: ImportWhy) => string {
  const { i18n } = useTranslation();
  const en = i18n.language === 'en';
  return useCallback((why: ImportWhy) => (en ? whyText(IMPORT_WHY_EN, why, LEVEL_WORDS_EN) : whyText(IMPORT_WHY_ZH, why, LEVEL_WORDS_ZH)), [en]);
}
